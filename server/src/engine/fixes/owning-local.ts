// The raw-new and new-array fix: a local `T* p = new T(args);` that never escapes
// becomes `auto p = std::make_unique<T>(args);` (or `std::vector<T> p(n);`), and
// its `delete p;` goes. Offered only when every use of p is one the new type
// supports unchanged (p->x, *p, p[i]) or with .get() (p passed to a call), and
// when the block itself deletes p: that `delete` is what shows the local owns
// the object (without it, a callee may have adopted it, or it deletes itself).
import type { Node } from 'web-tree-sitter';
import type { Fix, RuleContext, TextEdit } from '../rule';
import { insideError, isArithmeticType } from '../rules/util';
import { ensureInclude, statementRemoval } from './includes';

type Shape = 'object' | 'array';

export function makeUniqueFix(newExpr: Node, ctx: RuleContext, shape: Shape): Fix | undefined {
  if (newExpr.childForFieldName('placement')) return undefined; // new (std::nothrow) returns null; make_unique throws
  if (insideError(newExpr)) return undefined;
  const local = owningLocal(newExpr);
  if (!local) return undefined;
  const { declaration, name, typeText } = local;
  const newType = newExpr.childForFieldName('type')?.text;
  if (!newType || (typeText !== undefined && normalize(newType) !== normalize(typeText))) return undefined; // Base* p = new Derived
  if (shape === 'array' && normalize(newType) === 'bool') return undefined; // std::vector<bool> hands out proxies, not bool&
  if (shape === 'object' && insideOwnClass(newExpr, normalize(newType))) return undefined; // may reach a private constructor make_unique cannot
  const uses = useEdits(local.block, declaration, name, shape, ctx.text);
  if (!uses) return undefined;
  const release = deleteEdit(uses.deleteStatement, name, shape, newType, ctx.text);
  if (!release) return undefined;
  const replacement = shape === 'object' ? objectInit(newExpr, name, newType) : arrayInit(newExpr, name, newType);
  if (!replacement) return undefined;
  const edits = [...uses.edits, release, { start: declaration.startIndex, end: declaration.endIndex, newText: replacement }];
  const include = ensureInclude(ctx.text, shape === 'object' ? 'memory' : 'vector');
  if (include) edits.push(include);
  return {
    title: shape === 'object' ? `Own ${name} with std::unique_ptr (std::make_unique)` : `Own ${name} with std::vector`,
    edits,
  };
}

/**
 * The `delete p;` goes when nothing but a plain `return` follows it, so the
 * destructor still runs where it ran before. Elsewhere `p.reset();` keeps that
 * moment; a vector of objects has no one-call equivalent, so no fix then
 * (a vector of scalars has no destructor whose moment could matter).
 */
function deleteEdit(stmt: Node, name: string, shape: Shape, type: string, text: string): TextEdit | undefined {
  if (endsItsBlock(stmt, name)) return statementRemoval(text, stmt.startIndex, stmt.endIndex);
  if (shape === 'object') return { start: stmt.startIndex, end: stmt.endIndex, newText: `${name}.reset();` };
  return isArithmeticType(type) ? statementRemoval(text, stmt.startIndex, stmt.endIndex) : undefined;
}

function endsItsBlock(stmt: Node, name: string): boolean {
  const rest: Node[] = [];
  for (let n = stmt.nextNamedSibling; n; n = n.nextNamedSibling) if (n.type !== 'comment') rest.push(n);
  if (rest.length === 0) return true;
  if (rest.length > 1 || rest[0].type !== 'return_statement') return false;
  const value = rest[0].namedChildren.filter((c) => c.type !== 'comment');
  if (value.length === 0) return true;
  const v = value[0];
  return /^(number_literal|true|false|null|nullptr|char_literal|string_literal)$/.test(v.type) || (v.type === 'identifier' && v.text !== name);
}

/** Whether `node` sits in the body of class `type` or of one of its out-of-line members. */
function insideOwnClass(node: Node, type: string): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if ((n.type === 'class_specifier' || n.type === 'struct_specifier') && n.childForFieldName('name')?.text === type) return true;
    if (n.type === 'function_definition') {
      const name = functionName(n);
      if (name?.type === 'qualified_identifier' && normalize(name.childForFieldName('scope')?.text ?? '') === type) return true;
    }
  }
  return false;
}

function functionName(fn: Node): Node | null {
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  return d?.childForFieldName('declarator') ?? null;
}

function normalize(t: string): string {
  return t.replace(/\s+/g, ' ').trim();
}

/**
 * `T* p = new ...;` (or `auto* p` / `auto p`) as the only declarator of a
 * declaration directly in a block. `typeText` is the declared pointee type,
 * or undefined for `auto`, which takes whatever `new` made.
 */
function owningLocal(newExpr: Node) {
  const init = newExpr.parent;
  if (init?.type !== 'init_declarator') return undefined;
  const declaration = init.parent;
  if (declaration?.type !== 'declaration') return undefined;
  const type = declaration.childForFieldName('type')?.text ?? '';
  const declarator = init.childForFieldName('declarator');
  let ident: Node | null | undefined;
  if (declarator?.type === 'pointer_declarator' && declarator.namedChildCount === 1) ident = declarator.childForFieldName('declarator'); // no `* const`
  else if (declarator?.type === 'identifier' && type === 'auto') ident = declarator;
  if (ident?.type !== 'identifier') return undefined;
  if (declaration.childrenForFieldName('declarator').length !== 1) return undefined;
  if (declaration.namedChildren.some((c) => c.type === 'storage_class_specifier' || c.type === 'type_qualifier')) return undefined;
  const block = declaration.parent;
  if (block?.type !== 'compound_statement') return undefined;
  return { declaration, block, name: ident.text, typeText: type === 'auto' ? undefined : type };
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
 * Edits for every later use of `name` in the block and its one `delete`
 * statement, or undefined when a use is not provably safe: it escapes
 * (returned, stored, assigned, captured), is redeclared, or is deleted
 * somewhere other than a statement of the block itself, or more than once.
 */
function useEdits(block: Node, declaration: Node, name: string, shape: Shape, text: string): { edits: TextEdit[]; deleteStatement: Node } | undefined {
  const edits: TextEdit[] = [];
  let deleteStatement: Node | undefined;
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
        if (deleteStatement) return undefined;
        deleteStatement = stmt;
        break;
      }
      default:
        return undefined;
    }
  }
  return deleteStatement ? { edits, deleteStatement } : undefined;
}

function insideLambda(node: Node, stop: Node): boolean {
  for (let n = node.parent; n && !n.equals(stop); n = n.parent) if (n.type === 'lambda_expression') return true;
  return false;
}
