import type { Node } from 'web-tree-sitter';
import { defineRule, type Location } from '../rule';
import type { DeclaredSymbol } from '../symbols';

const DTOR_NAME = '(function_declarator declarator: (destructor_name))';

export default defineRule({
  meta: {
    id: 'owning-raw-member',
    title: 'Owning raw pointer member',
    description: 'a class whose destructor deletes or frees one of its raw pointer members',
    concept: 'Box field',
    category: 'ownership',
    severity: 'warning',
    languages: ['cpp'],
    weight: 4,
    fixable: false,
  },
  // Anchored on the destructor itself (rare), not on every class body.
  query: `
    (function_definition declarator: ${DTOR_NAME} body: (compound_statement) @body)
    (function_definition
      declarator: (function_declarator declarator: [
        (qualified_identifier scope: (_) @scope name: (destructor_name))
        (qualified_identifier name: (qualified_identifier scope: (_) @scope name: (destructor_name)))])
      body: (compound_statement) @body)`,
  create(ctx) {
    const owners = new Map<number, { cls: Node; name: Node; members: Set<string>; related: Location[] }>();
    let pointers: Map<string, DeclaredSymbol[]> | undefined;
    const pointerMembers = (name: string) => (pointers ??= memberPointers(ctx.symbols.all())).get(name) ?? [];
    return {
      match({ body, scope }) {
        const members = scope ? undefined : body.parent?.parent; // body → function_definition → field_declaration_list
        if (!scope && members?.type !== 'field_declaration_list') return;
        const ownClass = members?.parent;
        const className = scope ? baseName(scope) : undefined;
        for (const release of body.descendantsOfType(['delete_expression', 'call_expression'])) {
          const target = releasedMember(release);
          if (!target) continue;
          // The member must be a raw pointer of this very class, not a local of the same name.
          const local = target.type === 'identifier' ? ctx.symbols.lookup(target.text, target.startIndex) : undefined;
          if (local && local.scope().kind !== 'member') continue;
          const sym = pointerMembers(target.text).find((s) => {
            const cls = classOf(s);
            return !!cls && (ownClass ? cls.equals(ownClass) : classNameOf(cls) === className);
          });
          const cls = sym && classOf(sym);
          const name = cls?.childForFieldName('name');
          if (!cls || !name) continue;
          const owner = owners.get(cls.startIndex) ?? { cls, name, members: new Set<string>(), related: [] };
          owners.set(cls.startIndex, owner);
          owner.members.add(target.text);
          owner.related.push({ start: release.startIndex, end: release.endIndex, message: `${target.text} is released here, by hand` });
        }
      },
      finish() {
        for (const { cls, name, members: owned, related } of owners.values()) {
          const list = [...owned].join(', ');
          ctx.report({
            node: name,
            range: { start: cls.startIndex, end: name.endIndex },
            message: `${name.text} owns raw pointer member${owned.size > 1 ? 's' : ''} ${list} (released in its destructor): in Rust an owning field is a Box<T> (a Vec<T> for arrays) and is dropped automatically; make it std::unique_ptr (or std::vector)`,
            related,
          });
        }
      },
    };
  },
});

/** `delete m`, `delete[] this->m`, `free(m)`, `std::free(this->m)`: the member identifier released. */
function releasedMember(release: Node): Node | undefined {
  let target: Node | null | undefined;
  if (release.type === 'delete_expression') {
    target = release.namedChildren[release.namedChildCount - 1];
  } else {
    const fn = release.childForFieldName('function');
    const fnName = fn?.type === 'qualified_identifier' && fn.childForFieldName('scope')?.text === 'std' ? fn.childForFieldName('name') : fn;
    if (fnName?.type !== 'identifier' || fnName.text !== 'free') return undefined;
    const args = release.childForFieldName('arguments')?.namedChildren;
    if (args?.length !== 1) return undefined;
    target = args[0];
  }
  if (target?.type === 'identifier') return target;
  if (target?.type === 'field_expression' && target.childForFieldName('argument')?.type === 'this') {
    const field = target.childForFieldName('field');
    return field ?? undefined;
  }
  return undefined;
}

function memberPointers(symbols: DeclaredSymbol[]): Map<string, DeclaredSymbol[]> {
  const map = new Map<string, DeclaredSymbol[]>();
  for (const s of symbols) {
    if (s.kind !== 'pointer' || s.node.type !== 'field_identifier') continue;
    const list = map.get(s.name);
    if (list) list.push(s);
    else map.set(s.name, [s]);
  }
  return map;
}

/** The class or struct whose field declares `sym`, if it is a direct, non-static data member. */
function classOf(sym: DeclaredSymbol): Node | undefined {
  const decl = sym.declaration();
  if (decl?.type !== 'field_declaration') return undefined;
  if (decl.namedChildren.some((c) => c.type === 'storage_class_specifier' && c.text === 'static')) return undefined;
  const cls = decl.parent?.parent;
  return cls && (cls.type === 'class_specifier' || cls.type === 'struct_specifier') ? cls : undefined;
}

function classNameOf(cls: Node): string | undefined {
  const name = cls.childForFieldName('name');
  return name ? baseName(name) : undefined;
}

/** `Foo`, `Foo<T>`, `ns::Foo` → `Foo`. */
function baseName(n: Node): string | undefined {
  if (n.type === 'type_identifier' || n.type === 'namespace_identifier' || n.type === 'identifier') return n.text;
  if (n.type === 'template_type') return n.childForFieldName('name')?.text;
  if (n.type === 'qualified_identifier') {
    const inner = n.childForFieldName('name');
    return inner ? baseName(inner) : undefined;
  }
  return undefined;
}
