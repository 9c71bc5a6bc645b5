/**
 * Downloads a file the BFF serves (a receipt), with the session cookie, and saves it under the name the
 * server gave. Fetched rather than linked so a refusal or a provider failure is told in the page
 * instead of being saved as the "file".
 */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

function filenameOf(disposition: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(disposition ?? '');
  return match?.[1] ?? fallback;
}

export async function downloadFile(url: string, fallbackName: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new DownloadError('Paydesk could not be reached. Check your connection and try again.', null);
  }
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as {
      userMessage?: unknown;
      requestId?: unknown;
    } | null;
    throw new DownloadError(
      typeof body?.userMessage === 'string'
        ? body.userMessage
        : `The download failed (HTTP ${response.status}).`,
      typeof body?.requestId === 'string' ? body.requestId : null,
    );
  }
  const name = filenameOf(response.headers.get('content-disposition'), fallbackName);
  const objectUrl = URL.createObjectURL(await response.blob());
  try {
    const link = document.createElement('a');
    link.href = objectUrl;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // Late enough for the browser to have started saving it.
    setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
  }
  return name;
}
