/** Decoded `name=value` pairs of a raw query string, in order; a bad escape is kept as sent. */
export function parseQueryPairs(raw: string): [string, string][] {
  return raw
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const equals = part.indexOf('=');
      return [
        decode(equals === -1 ? part : part.slice(0, equals)),
        decode(equals === -1 ? '' : part.slice(equals + 1)),
      ];
    });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
