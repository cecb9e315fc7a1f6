// What a bundler sees in a built file: the module specifiers it would resolve, and the
// `new URL(<literal>, import.meta.url)` expressions that webpack 5 and Rollup's and Vite's asset
// plugins take for files to resolve at build time.
import { parseAst } from 'rollup/parseAst';

interface AstNode {
  type: string;
  [key: string]: unknown;
}

function* nodes(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const item of node) yield* nodes(item);
    return;
  }
  if (!node || typeof node !== 'object' || typeof (node as AstNode).type !== 'string') return;
  yield node as AstNode;
  for (const [key, value] of Object.entries(node)) if (key !== 'type') yield* nodes(value);
}

const isImportMetaUrl = (n: AstNode | undefined): boolean =>
  n?.type === 'MemberExpression' &&
  (n.object as AstNode).type === 'MetaProperty' &&
  (n.property as { name?: string }).name === 'url';

/** The literal of every `new URL(<string literal>, import.meta.url)` in the code. */
export function assetUrls(code: string): string[] {
  const found: string[] = [];
  for (const n of nodes(parseAst(code))) {
    if (n.type !== 'NewExpression' || (n.callee as { name?: string }).name !== 'URL') continue;
    const [first, second] = n.arguments as AstNode[];
    if (first?.type === 'Literal' && typeof first.value === 'string' && isImportMetaUrl(second))
      found.push(first.value);
  }
  return found;
}

/** Every specifier of a static import, a re-export and a dynamic import with a literal. */
export function moduleSpecifiers(code: string): string[] {
  const found: string[] = [];
  for (const n of nodes(parseAst(code))) {
    const isModuleRef =
      n.type === 'ImportDeclaration' ||
      n.type === 'ExportAllDeclaration' ||
      n.type === 'ExportNamedDeclaration' ||
      n.type === 'ImportExpression';
    const source = isModuleRef ? (n.source as AstNode | null) : null;
    if (source?.type === 'Literal' && typeof source.value === 'string') found.push(source.value);
  }
  return found;
}
