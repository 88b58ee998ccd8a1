"""The tree-sitter scanner on odd, broken and hostile input: always a file symbol, quickly.

Every snippet must give a `file` symbol with unique ids and nothing but clean read-in-part
problems, within a loose time bound, in every language; input nested thousands deep is read
down to the walker's depth limit and reported, never a `RecursionError`.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from docgen.model import Symbol
from docgen.problems import Problem
from docgen.scan.treesitter import EXTENSIONS, parse_source
from docgen.scan.treesitter.walker import MAX_DEPTH, TOO_DEEP

SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample"
N = 5000  # levels of nesting: far past the interpreter's recursion limit
SECONDS = 5.0  # per snippet, on a slow shared machine; a hang or blow-up takes far longer

# path -> the language it is read as
FILES = {
    "x.c": "c",
    "x.h": "c",
    "x.cpp": "cpp",
    "x.cu": "cuda",
    "x.js": "javascript",
    "x.ts": "typescript",
    "x.tsx": "typescript",
    "x.rs": "rust",
    "x.go": "go",
}

# Snippets every language gets: odd but legal, or broken.
COMMON = {
    "empty": "",
    "only comments": "// a\n/* b */\n/** c */\n",
    "closing braces only": "}" * 50 + "\n",
    "unterminated string and comment": "\"abc\n'x\n`y\n/* z",
    "nested braces": "{" * N + "}" * N,
    "nested brackets": "[" * N + "]" * N,
    "nested parentheses": "(" * N + ")" * N,
    "unclosed braces": "{" * N,
    "a 100,000-character line": "a" * 100_000,
    "a long declaration list": "int " + "x, " * 10_000 + "y;\n",
    "binary-looking text": "".join(chr(c) for c in range(1, 256)) * 20,
    "CRLF line endings": "int f(void);\r\n/** Doc. */\r\nint g(void);\r\n",
    "a byte order mark": "\ufeffint f(void);\n",
    "unicode identifiers": "int ünïcode(int ß);\nconst π = 3;\n",
}

# Snippets in each language's own syntax, odd corners included.
OWN = {
    "c": {
        "function pointer returning function pointer": "void (*signal(int, void (*)(int)))(int);\n",
        "nested conditionals": "#ifdef A\n" * N + "int f(void);\n" + "#endif\n" * N,
        "many pointers": "int " + "*" * N + "f(void);\n",
        "a K&R definition": "int f(a, b) int a; char *b; { return a; }\n",
    },
    "cpp": {
        "templates": "template<typename T> struct S { template<class U> U f(T) const; };\n"
        "template<> struct S<int> {};\ntemplate<typename T> concept C = true;\n",
        "operators": "struct A { A& operator=(const A&); bool operator<(A) const; operator bool() const;\n"
        "  void* operator new(unsigned long); int operator()(int); int operator[](int); };\n"
        "bool operator==(A, A);\nA::operator bool() const { return true; }\n",
        "qualified and global names": "void a::b::c::f() {}\nvoid ::g() {}\nstruct X { ~X(); };\nX::~X() {}\n",
        "anonymous things": "namespace { int f(); }\nstruct { int x; } v;\nenum { A, B };\n",
        "nested templates": "template<class T> " * N + "void f();\n",
        "nested template arguments": "std::vector<" * 2000 + "int" + ">" * 2000 + " v;\n",
        "a CUDA kernel": "__global__ void k(float* x) {}\nvoid h() { k<<<1, 2>>>(0); }\n",
    },
    "javascript": {
        "class fields and private names": "class A { #x = 1; static y; #m() {} get z() { return 1; }\n"
        "  static { } [Symbol.iterator]() {} 'quoted'() {} 42() {} }\n"
        "export default class { }\nexport { A as B };\n",
        "exports of every form": "export * from 'x';\nexport * as y from 'y';\nexport default 42;\n"
        "export const f = async (a, {b, c} = {}, ...r) => a;\n",
        "nested functions": "function f() { " * N + "}" * N,
        "a deeply nested default": "export function f(a = " + "[" * N + "]" * N + ") {}\n",
    },
    "typescript": {
        "decorators": "@Component({a: 1})\nexport class A { @Input() x: number;\n"
        "  @HostListener('click') on(): void {}\n  constructor(private readonly s: S) {} }\n",
        "overloads": "export function f(a: string): string;\nexport function f(a: number): number;\n"
        "export function f(a: any): any { return a; }\n",
        "declarations": "declare module 'x' { export function f(): void; }\n"
        "declare global { interface Window { a: 1 } }\ndeclare const x: number;\n"
        "export = Foo;\nimport x = require('x');\nexport as namespace Lib;\n",
        "types": "type A<T> = T extends (infer U)[] ? U : never;\nexport type B = { [K in keyof T]: T[K] };\n"
        "enum E { A = 1, 'b' = 2 }\nconst enum F { X }\nabstract class C { abstract m(): void; }\n"
        "interface I extends J<K>, L { (x: number): string; new (): I; [k: string]: any; m?(): void }\n",
        "nested generics": "type T = " + "Array<" * 2000 + "x" + ">" * 2000 + ";\n",
    },
    "rust": {
        "blanket and odd impls": "impl<T> Trait for T {}\nimpl<T: Clone> Foo<T> { pub fn f(&self) {} }\n"
        "impl dyn Trait {}\nimpl<'a> From<&'a str> for Box<dyn Error + 'a> {}\nimpl [u8] {}\n"
        "impl (A, B) {}\nimpl fn() {}\nimpl<T> *const T {}\nimpl !Send for X {}\n",
        "items of every kind": "macro_rules! m { () => {} }\nm!{}\npub struct A(pub u8, u16);\n"
        "pub enum E { A(u8), B { x: u8 }, C = 3 }\npub union U { pub a: u8 }\n"
        "pub trait T: A + B<C> where Self: Sized { type X; const Y: u8; fn f(&self) -> Self::X; }\n"
        'extern "C" { fn f(x: i32, ...) -> i32; }\npub const unsafe fn g<const N: usize>() {}\n',
        "nested generic types": "pub fn f(x: " + "Vec<" * N + "u8" + ">" * N + ") {}\n",
    },
    "go": {
        "generics": "type List[T any] struct { next *List[T]; val T }\n"
        "func (l *List[T]) Push(v T) {}\nfunc Map[T, U any](s []T, f func(T) U) []U { return nil }\n"
        "type Number interface { ~int | ~float64 }\nfunc (List[T]) Len() int { return 0 }\n",
        "receivers of every form": "func (m M) A() {}\nfunc (*M) B() {}\nfunc (m *(M)) C() {}\n"
        "func (m pkg.T) E() {}\nfunc (m, n M) F() {}\nfunc (m ...M) G() {}\nfunc () H() {}\n",
        "grouped types": "type ( A int; B = string; C struct{ D; *E; f int; G, H string `tag` }; "
        "I interface { J; K() error; comparable } )\n",
        "nested structs": "type T " + "struct {\nA " * N + "int\n" + "}\n" * N,
        "nested slices": "func F(x " + "[]" * N + "int) {}\n",
    },
}


def cases() -> list[tuple[str, str, str]]:
    found = []
    for path, language in FILES.items():
        grammar = "cpp" if language == "cuda" else language
        snippets = {**COMMON, **OWN.get(grammar, {})}
        for name, text in snippets.items():
            if language == "go" and not text.startswith("\ufeff"):
                text = "package m\n\n" + text
            found.append((path, name, text))
    return found


def check(file: Symbol, problems: list[Problem], path: str) -> None:
    """A file symbol with unique ids; problems are read-in-part ones, on lines of the file."""
    assert file.kind == "file"
    assert file.location.file == path
    ids = [symbol.id for symbol in file.walk()]
    assert len(ids) == len(set(ids))
    for problem in problems:
        assert problem.code == "read-in-part"
        assert problem.file == path
        assert problem.line >= 1 and problem.message


@pytest.mark.parametrize(("path", "name", "text"), cases(), ids=[f"{p}: {n}" for p, n, _ in cases()])
def test_odd_input_gives_a_file_symbol_in_time(path: str, name: str, text: str) -> None:
    started = time.perf_counter()
    file, problems = parse_source(path, FILES[path], text)
    assert time.perf_counter() - started < SECONDS
    check(file, problems, path)


REAL = sorted(p.relative_to(SAMPLE).as_posix() for p in SAMPLE.rglob("*") if p.suffix in EXTENSIONS)


@pytest.mark.parametrize("rel", REAL)
def test_every_cut_of_a_real_file_reads(rel: str) -> None:
    # A file cut short anywhere, as an editor saving half a change leaves it.
    text = (SAMPLE / rel).read_text(encoding="utf-8")
    for end in range(0, len(text), max(1, len(text) // 40)):
        file, problems = parse_source(rel, EXTENSIONS[Path(rel).suffix], text[:end])
        check(file, problems, rel)


@pytest.mark.parametrize(
    ("path", "text", "outer"),
    [
        ("x.c", "struct a {\n" * N + "int x;\n" + "};\n" * N, "x.c::a::a"),
        ("x.h", "#ifdef A\n" * N + "int f(void);\n" + "#endif\n" * N, ""),
        ("x.cpp", "namespace a {\n" * N + "int f();\n" + "}\n" * N, "x.cpp::a::a"),
        ("x.cpp", "class A {\npublic:\n" * N + "int x;\n" + "};\n" * N, "x.cpp::A::A"),
        ("x.ts", "namespace a {\n" * N + "export function f() {}\n" + "}\n" * N, "x.ts::a::a"),
        ("x.rs", "pub mod a {\n" * N + "pub fn f() {}\n" + "}\n" * N, "x.rs::a::a"),
    ],
)
def test_deep_declarations_are_read_to_the_depth_limit(path: str, text: str, outer: str) -> None:
    file, problems = parse_source(path, FILES[path], text)
    assert [(p.code, p.message) for p in problems] == [("read-in-part", TOO_DEEP)]
    assert problems[0].line > MAX_DEPTH // 2
    if outer:
        assert outer in {symbol.id for symbol in file.walk()}


@pytest.mark.parametrize(
    ("path", "text", "name"),
    [
        ("x.c", "int " + "*" * N + "f(void);\n", "f"),
        ("x.c", "int f(int x[" + "(" * N + "1" + ")" * N + "]);\n", "f"),
        ("x.js", "export function f(a = " + "(" * N + "1" + ")" * N + ") {}\n", "f"),
        ("x.js", "export const f = (a = " + "{a: " * N + "1" + "}" * N + ") => a;\n", "f"),
        ("x.rs", "pub fn f(x: " + "(" * N + "u8" + ")" * N + ") {}\n", "f"),
        ("x.go", "package m\n\nfunc F(x " + "(" * N + "int" + ")" * N + ") {}\n", "F"),
        ("x.go", "package m\n\ntype T " + "struct {\nA " * N + "int\n" + "}\n" * N, "T"),
    ],
)
def test_deeply_nested_signatures_are_read_whole(path: str, text: str, name: str) -> None:
    file, problems = parse_source(path, FILES[path], text)
    assert [child.name for child in file.children] == [name]
    assert problems == []


@pytest.mark.parametrize(
    ("path", "language", "source"),
    [
        ("a.ts", "typescript", "/** {@link " + "a" * 20000 + " */\nexport function f() {}\n"),
        ("a.c", "c", "X(" + "a" * 20000),
        ("b.c", "c", "\n".join(["X(" + "a b " * 100] * 2000)),
    ],
)
def test_unclosed_links_and_macro_calls_read_in_linear_time(path, language, source):
    start = time.perf_counter()
    parse_source(path, language, source)
    assert time.perf_counter() - start < 3
