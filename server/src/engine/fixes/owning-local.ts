// The raw-new and new-array fix: a local `T* p = new T(args);` that never escapes
// becomes `auto p = std::make_unique<T>(args);` (or `std::vector<T> p(n);`), and
// its `delete p;` goes. Offered only when every use of p is one the new type
// supports unchanged (p->x, *p, p[i]) or with .get() (p passed to a call).
import type { Node } from 'web-tree-sitter';
import type { Fix, RuleContext, TextEdit } from '../rule';
import { ensureInclude, statementRemoval } from './includes';

type Shape = 'object' | 'array';

export function makeUniqueFix(newExpr: Node, ctx: RuleContext, shape: Shape): Fix | undefined {
  const local = owningLocal(newExpr);
  if (!local) return undefined;
  const { declaration, name, typeText } = local;
  const newType = newExpr.childForFieldName('type')?.text;
  if (!newType || normalize(newType) !== normalize(typeText)) return undefined; // Base* p = new Derived
  const edits = useEdits(local.block, declaration, name, shape, ctx.text);
  if (!edits) return undefined;
  const replacement = shape === 'object' ? objectInit(newExpr, name, newType) : arrayInit(newExpr, name, newType);
  if (!replacement) return undefined;
  edits.push({ start: declaration.startIndex, end: declaration.endIndex, newText: replacement });
  const include = ensureInclude(ctx.text, shape === 'object' ? 'memory' : 'vector');
  if (include) edits.push(include);
  return {
    title: shape === 'object' ? `Own ${name} with std::unique_ptr (std::make_unique)` : `Own ${name} with std::vector`,
    edits,
  };
}

function normalize(t: string): string {
  return t.replace(/\s+/g, ' ').trim();
}

/** `T* p = new ...;` as the only declarator of a declaration directly in a block. */
function owningLocal(newExpr: Node) {
  const init = newExpr.parent;
  if (init?.type !== 'init_declarator') return undefined;
  const declarator = init.childForFieldName('declarator');
  if (declarator?.type !== 'pointer_declarator' || declarator.namedChildCount !== 1) return undefined; // no `* const`
  const ident = declarator.childForFieldName('declarator');
  const declaration = init.parent;
  if (ident?.type !== 'identifier' || declaration?.type !== 'declaration') return undefined;
  if (declaration.childrenForFieldName('declarator').length !== 1) return undefined;
  if (declaration.namedChildren.some((c) => c.type === 'storage_class_specifier' || c.type === 'type_qualifier')) return undefined;
  const block = declaration.parent;
  if (block?.type !== 'compound_statement') return undefined;
  const typeText = declaration.childForFieldName('type')?.text ?? '';
  return { declaration, block, name: ident.text, typeText };
}

function objectInit(newExpr: Node, name: string, type: string): string | undefined {
  const args = newExpr.childForFieldName('arguments');
  if (args && args.type !== 'argument_list') return undefined; // new T{...}: make_unique would use (), not {}
  const inner = args ? args.text.slice(1, -1) : '';
  return `auto ${name} = std::make_unique<${type}>(${inner});`;
}

function arrayInit(newExpr: Node, name: string, type: string): string | undefined {
  const declarator = newExpr.childForFieldName('declarator');
  const length = declarator?.childForFieldName('length');
  if (!length || declarator?.namedChildCount !== 1) return undefined; // new T[n][m]
  const args = newExpr.childForFieldName('arguments');
  if (args && args.text.replace(/\s/g, '') !== '()') return undefined; // new T[n]{...}
  return `std::vector<${type}> ${name}(${length.text});`;
}

/**
 * Edits for every later use of `name` in the block, or undefined when one use
 * is not provably safe: it escapes (returned, stored, assigned, captured), is
 * redeclared, or is deleted somewhere other than a statement of the block itself.
 */
function useEdits(block: Node, declaration: Node, name: string, shape: Shape, text: string): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  let deletes = 0;
  for (const id of block.descendantsOfType('identifier', declaration.endPosition, block.endPosition)) {
    if (id.startIndex < declaration.endIndex || id.text !== name) continue;
    const parent = id.parent;
    if (!parent) return undefined;
    if (insideLambda(id, block)) return undefined;
    switch (parent.type) {
      case 'field_expression':
        if (shape !== 'object' || parent.childForFieldName('operator')?.text !== '->' || !parent.childForFieldName('argument')?.equals(id)) return undefined;
        break;
      case 'pointer_expression':
        if (shape !== 'object' || parent.childForFieldName('operator')?.text !== '*') return undefined;
        break;
      case 'subscript_expression':
        if (shape !== 'array' || !parent.childForFieldName('argument')?.equals(id)) return undefined;
        break;
      case 'argument_list':
        if (shape !== 'object' || parent.parent?.type !== 'call_expression') return undefined;
        edits.push({ start: id.endIndex, end: id.endIndex, newText: '.get()' });
        break;
      case 'delete_expression': {
        const isArrayDelete = /\[\s*\]/.test(parent.text.slice(0, parent.text.length - name.length));
        const stmt = parent.parent;
        if (isArrayDelete !== (shape === 'array') || stmt?.type !== 'expression_statement' || !stmt.parent?.equals(block)) return undefined;
        edits.push(statementRemoval(text, stmt.startIndex, stmt.endIndex));
        deletes++;
        break;
      }
      default:
        return undefined;
    }
  }
  return deletes <= 1 ? edits : undefined;
}

function insideLambda(node: Node, stop: Node): boolean {
  for (let n = node.parent; n && !n.equals(stop); n = n.parent) if (n.type === 'lambda_expression') return true;
  return false;
}
