const {Parser, Language, Query} = require('web-tree-sitter');
(async()=>{
await Parser.init();
for (const g of ['cpp','c']) {
const L = await Language.load(`node_modules/tree-sitter-${g}/tree-sitter-${g}.wasm`);
const p = new Parser(); p.setLanguage(L);
const src = process.argv[2];
console.log(g, p.parse(src).rootNode.toString());
}
})();
