import { describe, expect, it } from 'vitest';
import type { AppErrorInfo } from '../../lib/app-error.ts';
import {
  counterLabel,
  credentialsInput,
  firstProblemPath,
  formAlert,
  missingRequired,
  overlapProblem,
  prefilledCredentials,
  problemAt,
  shownCredential,
} from './form.ts';
import type { ConnectionRow, CredentialField } from './types.ts';

const paymentBook: CredentialField[] = [
  { name: 'tokenName', label: 'API token name', secret: false, type: 'text', required: true },
  { name: 'tokenSecret', label: 'API token secret', secret: true, type: 'text', required: true },
  { name: 'serviceId', label: 'Service id', secret: false, type: 'number', required: true },
  { name: 'balanceId', label: 'Balance id for payouts', secret: false, type: 'number', required: false },
];

const connection: ConnectionRow = {
  id: '5f0c1d2e-0000-4000-8000-000000000001',
  provider: 'payment-book',
  name: 'Payment Book sandbox',
  mode: 'test',
  baseUrl: 'http://127.0.0.1:4000',
  settings: { tokenName: 'paydesk-sandbox', serviceId: 9 },
  credentialHints: { tokenSecret: '••••cret' },
  webhookSigning: 'optional',
  webhookSecretHint: '••••cret',
  previousWebhookSecretUntil: null,
  webhookUrl: 'http://127.0.0.1:4318/hooks/abc',
  enabled: true,
  lastTest: null,
  lastSyncAt: null,
  counters: {},
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
};

function validation(fields: { path: string; message: string }[]): AppErrorInfo {
  return {
    trpcCode: 'BAD_REQUEST',
    httpStatus: 400,
    code: 'validation_failed',
    userMessage: fields[0] ? `${fields[0].path}: ${fields[0].message}` : 'The connection is not valid',
    requestId: 'req-1',
    fields,
  };
}

describe('credentials sent to the API', () => {
  it('sends numbers as numbers, secrets as typed, and leaves out empty optional fields', () => {
    expect(
      credentialsInput(paymentBook, {
        tokenName: ' paydesk-sandbox ',
        tokenSecret: ' pb secret ',
        serviceId: ' 9 ',
        balanceId: '',
      }),
    ).toEqual({ tokenName: 'paydesk-sandbox', tokenSecret: ' pb secret ', serviceId: 9 });
  });

  it('sends what is not a number as typed, so the server says what is wrong with it', () => {
    expect(credentialsInput(paymentBook, { serviceId: '9a', balanceId: '-3' })).toMatchObject({
      serviceId: '9a',
      balanceId: '-3',
    });
  });

  it('sends an empty required field, for the server to refuse by name', () => {
    expect(credentialsInput(paymentBook, {})).toEqual({ tokenName: '', tokenSecret: '', serviceId: '' });
  });
});

describe('problems and messages', () => {
  it('finds required inputs left empty', () => {
    expect(
      missingRequired([
        { path: 'name', label: 'Name', value: '  ' },
        { path: 'baseUrl', label: 'Base URL', value: 'https://x.test' },
      ]),
    ).toEqual({ name: 'Name is required.' });
  });

  it('matches a server field error on its exact path', () => {
    const failure = validation([{ path: 'credentials.tokenSecret', message: 'too short' }]);
    expect(problemAt({}, failure, 'credentials.tokenSecret')).toBe('too short');
    expect(problemAt({}, failure, 'webhookSecret')).toBeUndefined();
    expect(problemAt({ webhookSecret: 'required' }, failure, 'webhookSecret')).toBe('required');
  });

  it('focuses the first field in form order that has a problem', () => {
    const failure = validation([
      { path: 'credentials.serviceId', message: 'must be a number' },
      { path: 'baseUrl', message: 'must be a full URL' },
    ]);
    expect(firstProblemPath({}, failure, ['name', 'baseUrl', 'credentials.serviceId'])).toBe('baseUrl');
    expect(firstProblemPath({}, null, ['name'])).toBeUndefined();
  });

  it('says only "see below" when every field error is shown beside its input', () => {
    const shown = ['name', 'baseUrl'];
    expect(formAlert(validation([{ path: 'baseUrl', message: 'bad' }]), shown)?.userMessage).toBe(
      'Correct the field marked below.',
    );
    // Two messages about one field are still one field.
    expect(
      formAlert(
        validation([
          { path: 'baseUrl', message: 'must be a full URL' },
          { path: 'baseUrl', message: 'must start with https://' },
        ]),
        shown,
      )?.userMessage,
    ).toBe('Correct the field marked below.');
    expect(
      formAlert(
        validation([
          { path: 'name', message: 'taken' },
          { path: 'baseUrl', message: 'bad' },
        ]),
        shown,
      )?.userMessage,
    ).toBe('Correct the fields marked below.');
    const unshown = validation([{ path: 'provider.region', message: 'unknown' }]);
    expect(formAlert(unshown, shown)).toBe(unshown);
    expect(formAlert(null, shown)).toBeNull();
  });

  it('accepts an overlap of whole hours up to a week', () => {
    expect(overlapProblem('24')).toBeUndefined();
    expect(overlapProblem('0')).toBeUndefined();
    expect(overlapProblem('168')).toBeUndefined();
    expect(overlapProblem('169')).toMatch(/At most 168/);
    expect(overlapProblem('1.5')).toMatch(/whole number/);
    expect(overlapProblem('')).toMatch(/whole number/);
  });
});

describe('what a connection shows', () => {
  it('shows secrets as their hint and settings in clear', () => {
    expect(shownCredential(connection, 'tokenSecret')).toBe('••••cret');
    expect(shownCredential(connection, 'serviceId')).toBe('9');
    expect(shownCredential(connection, 'balanceId')).toBeUndefined();
  });

  it('prefills settings, never secrets, when credentials are replaced', () => {
    expect(prefilledCredentials(paymentBook, connection)).toEqual({
      tokenName: 'paydesk-sandbox',
      tokenSecret: '',
      serviceId: '9',
      balanceId: '',
    });
  });

  it('names counters, known or not', () => {
    expect(counterLabel('webhooks_rejected')).toBe('Webhooks rejected');
    expect(counterLabel('refunds_retried')).toBe('Refunds retried');
  });
});
