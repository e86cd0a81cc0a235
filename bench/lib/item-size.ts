/**
 * DynamoDB's item size by AWS's documented rules, from the wire format (AttributeValue maps), so that
 * dynalite's ConsumedCapacity can be checked against what AWS would bill: a write costs one unit per
 * started KB of the larger of the item before and after it.
 */
type AttributeValue = Record<string, unknown>;

function numberSize(text: string): number {
  // Leading and trailing zeros are trimmed; about one byte per two significant digits, plus one.
  const digits = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

export function valueSize(value: AttributeValue): number {
  const [type, inner] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(inner), 'utf8');
    case 'N':
      return numberSize(String(inner));
    case 'B':
      return (inner as Uint8Array).length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (inner as string[]).reduce((sum, entry) => sum + Buffer.byteLength(entry, 'utf8'), 0);
    case 'NS':
      return (inner as string[]).reduce((sum, entry) => sum + numberSize(entry), 0);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, entry) => sum + 1 + valueSize(entry), 0);
    case 'M':
      return (
        3 +
        Object.entries(inner as Record<string, AttributeValue>).reduce(
          (sum, [name, entry]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(entry),
          0,
        )
      );
    default:
      return 0;
  }
}

/** Size in bytes of an item in wire format: attribute names plus values. */
export function itemSize(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name, 'utf8') + valueSize(value), 0);
}

/** Write units of a write whose larger image is `bytes` long. */
export function writeUnitsOf(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}
