import { describe, expect, it } from 'vitest';
import { maskCardValuesInJson } from './redact.ts';

describe('maskCardValuesInJson', () => {
  it('masks a card number that is a whole string value, to BIN and last four', () => {
    expect(maskCardValuesInJson('{"card":{"number":"4111111111111111"},"pan":"5555 5555 5555 4444"}')).toBe(
      '{"card":{"number":"411111******1111"},"pan":"555555******4444"}',
    );
  });

  it('leaves signatures, timestamps and ids byte for byte', () => {
    const body =
      '{"meta":{"signature":"59c124115743523042a7"},"at":1795334518853,"ref":"ord-4111111111111111","id":"79927398713"}';
    expect(maskCardValuesInJson(body)).toBe(body);
  });
});
