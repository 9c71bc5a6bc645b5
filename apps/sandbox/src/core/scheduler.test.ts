import { describe, expect, it } from 'vitest';
import { OffsetClock } from './clock.ts';
import { TaskScheduler } from './scheduler.ts';

function setup() {
  const clock = new OffsetClock();
  const errors: unknown[] = [];
  const scheduler = new TaskScheduler(clock, (error) => errors.push(error));
  return { clock, scheduler, errors };
}

describe('clock and scheduler', () => {
  it('advance runs due tasks in order, each at its own sandbox time', async () => {
    const { clock, scheduler } = setup();
    const start = clock.now();
    const seen: [string, number][] = [];
    scheduler.after(3_600_000, () => void seen.push(['hour', clock.now() - start]));
    scheduler.after(60_000, () => void seen.push(['minute', clock.now() - start]));
    scheduler.after(60_000, () => void seen.push(['minute-2', clock.now() - start]));
    scheduler.after(86_400_000, () => void seen.push(['day', clock.now() - start]));

    const now = await scheduler.advance(7_200_000);
    expect(seen.map(([name]) => name)).toEqual(['minute', 'minute-2', 'hour']);
    for (const [name, at] of seen)
      expect(at, name).toBeGreaterThanOrEqual(name === 'hour' ? 3_600_000 : 60_000);
    expect(now - start).toBeGreaterThanOrEqual(7_200_000);
    expect(scheduler.pending).toBe(1);
    scheduler.close();
  });

  it('runs tasks scheduled by tasks within the same advance when they fall due before its end', async () => {
    const { scheduler } = setup();
    const steps: string[] = [];
    scheduler.after(1_000, () => {
      steps.push('processing');
      scheduler.after(1_000, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        steps.push('settled');
        scheduler.after(10_000, () => void steps.push('too late'));
      });
    });
    await scheduler.advance(5_000);
    expect(steps).toEqual(['processing', 'settled']);
    scheduler.close();
  });

  it('keeps chained steps exact however long a step takes in real time', async () => {
    const { clock, scheduler } = setup();
    const start = clock.now();
    let secondAt = 0;
    scheduler.after(1_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      scheduler.after(1_000, () => {
        secondAt = clock.now() - start;
      });
    });
    await scheduler.advance(2_000);
    expect(secondAt).toBeGreaterThanOrEqual(2_000);
    expect(secondAt).toBeLessThan(2_030);
    expect(clock.now() - start).toBeGreaterThanOrEqual(2_000);
    scheduler.close();
  });

  it('never moves time backwards', async () => {
    const { clock, scheduler } = setup();
    await scheduler.advance(10_000);
    const before = clock.now();
    clock.moveTo(before - 5_000);
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    expect(clock.offsetMs).toBeGreaterThanOrEqual(10_000);
    scheduler.close();
  });

  it('runs tasks on real time too', async () => {
    const { scheduler } = setup();
    const done = new Promise<string>((resolve) => scheduler.after(20, () => resolve('ran')));
    await expect(done).resolves.toBe('ran');
    scheduler.close();
  });

  it('reports failing tasks and keeps going', async () => {
    const { scheduler, errors } = setup();
    const seen: number[] = [];
    scheduler.after(10, () => {
      throw new Error('boom');
    });
    scheduler.after(20, () => void seen.push(1));
    await scheduler.advance(100);
    expect(errors).toEqual([new Error('boom')]);
    expect(seen).toEqual([1]);
    scheduler.close();
  });

  it('drops everything on close, and refuses new tasks', async () => {
    const { scheduler } = setup();
    const seen: string[] = [];
    scheduler.after(10, () => void seen.push('before close'));
    scheduler.close();
    scheduler.after(10, () => void seen.push('after close'));
    await scheduler.advance(1_000);
    expect(seen).toEqual([]);
    expect(scheduler.pending).toBe(0);
  });
});
