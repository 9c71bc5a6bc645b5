/**
 * The text of an uncompressed PDF written by pdfkit with a standard font: every string shown by `Tj`
 * or `TJ`, decoded from WinAnsi, one line per text operation. Enough to assert what a receipt says.
 */
/** WinAnsi's 0x80–0x9F, where it differs from Latin-1 (pdfkit writes these for €, •, – and the like). */
const winAnsi: Record<number, string> = Object.fromEntries(
  [...'€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'].map((char, index) => [0x80 + index, char]),
);

function decodeHex(hex: string): string {
  let text = '';
  for (let index = 0; index + 1 < hex.length; index += 2) {
    const code = Number.parseInt(hex.slice(index, index + 2), 16);
    text += winAnsi[code] ?? String.fromCharCode(code);
  }
  return text;
}

export function pdfText(pdf: Uint8Array): string {
  const source = Buffer.from(pdf).toString('latin1');
  const lines: string[] = [];
  for (const match of source.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
    const pieces =
      match[1] !== undefined ? [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]!) : [match[2]!];
    lines.push(pieces.map(decodeHex).join(''));
  }
  return lines.join('\n');
}
