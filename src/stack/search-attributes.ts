import type { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { silentLogger, type Logger } from './logger';

const { IndexedValueType } = proto.temporal.api.enums.v1;

export type SearchAttributeKind =
  'Keyword' | 'Text' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const indexedValueTypes = {
  Keyword: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Text: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  Int: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  Bool: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Datetime: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KeywordList: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
} satisfies Record<SearchAttributeKind, number>;

// gRPC status ALREADY_EXISTS: another process registered the same attribute first.
const alreadyExists = 6;

/**
 * Registers the custom search attributes the namespace lacks; returns the names it added.
 * An attribute that exists with another type is a configuration fault and throws.
 */
export async function ensureSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  attrs: Record<string, SearchAttributeKind>,
  log: Logger = silentLogger,
): Promise<string[]> {
  const missing = await missingAttributes(connection, namespace, attrs);
  if (missing.length === 0) return [];

  const searchAttributes = Object.fromEntries(
    missing.map((name) => [name, indexedValueTypes[attrs[name]!]]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    if ((err as { code?: number }).code !== alreadyExists) throw err;
    await missingAttributes(connection, namespace, attrs);
  }

  log.info({ namespace, searchAttributes: missing }, 'registered search attributes');
  return missing;
}

async function missingAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  attrs: Record<string, SearchAttributeKind>,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({
    namespace,
  });

  const wrongType = Object.entries(attrs).filter(
    ([name, kind]) =>
      name in customAttributes && customAttributes[name] !== indexedValueTypes[kind],
  );
  if (wrongType.length > 0) {
    const names = wrongType.map(([name, kind]) => `${name} (expected ${kind})`).join(', ');
    throw new Error(`Search attributes registered with another type in ${namespace}: ${names}`);
  }

  return Object.keys(attrs).filter((name) => !(name in customAttributes));
}
