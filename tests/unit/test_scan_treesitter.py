"""The tree-sitter scanner against the sample sources, with the real grammars."""

from __future__ import annotations

import functools
import re
import time
from pathlib import Path

import pytest

from docgen.model import DocItem, Location, Param, Symbol
from docgen.problems import Problem, read_in_part
from docgen.scan.go_packages import merge_go_packages
from docgen.scan.treesitter import EXTENSIONS, SYNTAX_ERROR, parse_source
from docgen.scan.treesitter.walker import overload_suffix

SAMPLE = Path(__file__).parents[1] / "fixtures" / "sample"
FIXTURES = [
    "native/ops.h",
    "native/ops.c",
    "native/tokenizer.hpp",
    "native/tokenizer.cpp",
    "native/kernels.cuh",
    "native/kernels.cu",
    "web/client.js",
    "web/api.ts",
    "web/widget.tsx",
    "rust/src/lib.rs",
    "go/server.go",
]


@functools.cache
def parse(rel: str) -> tuple[Symbol, list[Problem]]:
    """Parse one fixture file as the scanner would (the language from its suffix)."""
    return parse_source(rel, EXTENSIONS[Path(rel).suffix], (SAMPLE / rel).read_text(encoding="utf-8"))


def symbols(rel: str) -> dict[str, Symbol]:
    """Every symbol of a fixture file by id."""
    return {symbol.id: symbol for symbol in parse(rel)[0].walk()}


def section(symbol: Symbol, kind: str):
    """The docstring section of `kind` (exactly one expected)."""
    assert symbol.docstring is not None, symbol.id
    matches = [s for s in symbol.docstring.sections if s.kind == kind]
    assert len(matches) == 1, (symbol.id, kind, symbol.docstring.sections)
    return matches[0]


def kinds(symbol: Symbol) -> list[tuple[str, str]]:
    return [(child.name, child.kind) for child in symbol.children]


# --- every fixture --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "language"),
    [
        (".c", "c"),
        (".h", "c"),
        (".cc", "cpp"),
        (".hpp", "cpp"),
        (".hxx", "cpp"),
        (".cu", "cuda"),
        (".cuh", "cuda"),
        (".mjs", "javascript"),
        (".jsx", "javascript"),
        (".tsx", "typescript"),
        (".cts", "typescript"),
        (".rs", "rust"),
        (".go", "go"),
    ],
)
def test_extensions_map_suffixes_to_languages(suffix, language):
    assert EXTENSIONS[suffix] == language


@pytest.mark.parametrize("rel", FIXTURES)
def test_fixture_is_one_clean_file_symbol_with_unique_ids(rel):
    file, skipped = parse(rel)
    text = (SAMPLE / rel).read_text(encoding="utf-8")
    assert skipped == []
    assert (file.id, file.name, file.kind) == (rel, Path(rel).name, "file")
    assert file.language == EXTENSIONS[Path(rel).suffix]
    assert file.location == Location(rel, 1, len(text.splitlines()))
    ids = [symbol.id for symbol in file.walk()]
    assert len(ids) == len(set(ids))
    scope = Path(rel).parent.as_posix() if rel.endswith(".go") else rel  # Go declarations are their package's
    assert all(symbol_id.startswith(scope + "::") for symbol_id in ids[1:])
    for symbol in file.walk():
        assert symbol.location.file == rel
        assert 1 <= symbol.location.start <= symbol.location.end <= len(text.splitlines())


# --- C ----------------------------------------------------------------------------------------


def test_c_header_declarations():
    file, _ = parse("native/ops.h")
    assert kinds(file) == [
        ("dtype_t", "enum"),
        ("tensor_t", "struct"),
        ("ops_bits", "union"),
        ("unary_op", "type_alias"),
        ("ops_add", "function"),
        ("ops_scale", "function"),
        ("ops_softmax", "function"),
        ("ops_version", "function"),
    ]
    assert file.docstring.summary == "Element-wise tensor operations for the inference runtime."
    assert "@file" not in section(file, "text").text


def test_c_function_prototype_signature_params_and_doxygen_sections():
    add = symbols("native/ops.h")["native/ops.h::ops_add"]
    assert add.signature == "int ops_add(const float *a, const float *b, float *out, size_t n)"
    assert add.returns == "int"
    assert add.location == Location("native/ops.h", 49, 49)
    assert [(p.name, p.annotation) for p in add.params] == [
        ("a", "const float *"),
        ("b", "const float *"),
        ("out", "float *"),
        ("n", "size_t"),
    ]
    assert add.params[2].description == "output buffer, may alias `a`"
    assert section(add, "text").text == "Add two vectors element-wise."
    assert section(add, "parameters").items[0] == DocItem("a", "", "first input")
    assert section(add, "returns").items == (DocItem(description="0 on success, -1 if a pointer is NULL"),)


def test_c_triple_slash_doc_and_void_params():
    found = symbols("native/ops.h")
    scale = found["native/ops.h::ops_scale"]
    assert scale.docstring.summary == "Scale a vector in place."
    assert [item.name for item in section(scale, "parameters").items] == ["x", "n", "factor"]
    version = found["native/ops.h::ops_version"]
    assert (version.params, version.returns, version.docstring) == ((), "const char *", None)


def test_c_typedef_records_fields_and_trailing_member_docs():
    found = symbols("native/ops.h")
    tensor = found["native/ops.h::tensor_t"]
    assert tensor.signature == "typedef struct tensor tensor_t"
    assert tensor.location == Location("native/ops.h", 25, 29)
    assert [(f.name, f.annotation, f.description) for f in tensor.fields] == [
        ("data", "float *", "First element."),
        ("size", "size_t", "Number of elements."),
        ("dtype", "dtype_t", ""),
    ]
    dtype = found["native/ops.h::dtype_t"]
    assert [(f.name, f.default, f.description) for f in dtype.fields] == [
        ("DT_FLOAT32", "0", "32-bit IEEE float."),
        ("DT_FLOAT16", "1", "16-bit IEEE float."),
    ]
    assert found["native/ops.h::unary_op"].signature == "typedef float (*unary_op)(float x)"


def test_c_static_functions_are_private_and_code_blocks_become_fences():
    found = symbols("native/ops.c")
    clamp = found["native/ops.c::clampf"]
    assert (clamp.public, clamp.labels) == (False, ("static",))
    # A plain `//` block directly above a declaration documents it, as Doxygen-less headers rely on.
    assert clamp.docstring is not None and clamp.docstring.raw == "Clamp helper, private to this translation unit."
    assert found["native/ops.c::ops_add"].public
    softmax = found["native/ops.c::ops_softmax"]
    assert softmax.location == Location("native/ops.c", 57, 72)
    assert section(softmax, "text").text == (
        "Numerically stable softmax over `n` values, in place.\n\n"
        "```c\nfloat logits[3] = {1.0f, 2.0f, 3.0f};\nops_softmax(logits, 3);\n```"
    )
    assert [(p.name, p.description) for p in softmax.params] == [
        ("x", "logits in, probabilities out"),
        ("n", "number of values; must be positive"),
    ]


# --- C++ --------------------------------------------------------------------------------------


def test_cpp_namespace_nests_members():
    file, _ = parse("native/tokenizer.hpp")
    assert kinds(file) == [("tok", "namespace")]
    assert kinds(file.children[0]) == [
        ("TokenId", "type_alias"),
        ("Special", "enum"),
        ("EncodeOptions", "struct"),
        ("BaseTokenizer", "class"),
        ("Tokenizer", "class"),
        ("count_tokens", "function"),
        ("TokenBuffer", "struct"),
    ]
    assert file.children[0].location == Location("native/tokenizer.hpp", 14, 114)


def test_cpp_class_members_access_overloads_and_labels():
    found = symbols("native/tokenizer.hpp")
    cls = found["native/tokenizer.hpp::tok::Tokenizer"]
    assert (cls.signature, cls.bases) == ("class Tokenizer : public BaseTokenizer", ("BaseTokenizer",))
    assert cls.docstring.summary == "A byte-pair-encoding tokenizer."
    assert [re.sub(r"-[0-9a-f]{6}$", "-*", child.id.rsplit("::", 1)[1]) for child in cls.children] == [
        "Tokenizer",
        "Tokenizer-*",
        "encode",
        "encode-*",
        "decode",
        "vocab_size",
        "token",
        "from_pretrained",
        "bpe",
        "load",
    ]
    public = {child.name: child.public for child in cls.children}
    assert public["encode"] and public["from_pretrained"]
    assert not public["bpe"] and not public["load"]  # protected and private
    assert cls.fields == ()  # its data members are private
    ctor = found["native/tokenizer.hpp::tok::Tokenizer::Tokenizer"]
    assert (ctor.kind, ctor.labels, ctor.returns) == ("method", ("constructor", "explicit"), "")
    assert section(ctor, "raises").items == (
        DocItem(annotation="std::runtime_error", description="if the file cannot be read"),
    )
    deleted = cls.children[1]
    assert deleted.id == "native/tokenizer.hpp::tok::Tokenizer::Tokenizer" + overload_suffix(deleted.signature, "", set())
    assert deleted.labels == ("constructor", "deleted")
    assert found["native/tokenizer.hpp::tok::Tokenizer::vocab_size"].labels == ("const", "override")
    assert found["native/tokenizer.hpp::tok::Tokenizer::from_pretrained"].labels == ("static",)
    pure = found["native/tokenizer.hpp::tok::BaseTokenizer::vocab_size"]
    assert pure.labels == ("abstract", "const", "virtual")


def test_cpp_method_signature_defaults_and_template():
    found = symbols("native/tokenizer.hpp")
    encode = found["native/tokenizer.hpp::tok::Tokenizer::encode"]
    assert encode.signature == (
        "std::vector<TokenId> encode(std::string_view text, "
        "const EncodeOptions& options = EncodeOptions{}) const"
    )
    assert encode.returns == "std::vector<TokenId>"
    assert encode.params == (
        Param("text", "std::string_view", description="UTF-8 input"),
        Param("options", "const EncodeOptions&", "EncodeOptions{}", description="how to encode"),
    )
    token = found["native/tokenizer.hpp::tok::Tokenizer::token"]
    assert token.signature == "template <typename Int> std::string_view token(Int id) const"
    assert token.location == Location("native/tokenizer.hpp", 82, 86)
    assert "template" in token.labels
    template_params = section(token, "other parameters")
    assert (template_params.title, template_params.items) == (
        "Template parameters",
        (DocItem("Int", "", "an integer type"),),
    )


def test_cpp_struct_fields_and_scoped_enum():
    found = symbols("native/tokenizer.hpp")
    options = found["native/tokenizer.hpp::tok::EncodeOptions"]
    assert [(f.name, f.annotation, f.default, f.description) for f in options.fields] == [
        ("add_bos", "bool", "true", "Prepend the BOS token."),
        ("add_eos", "bool", "false", "Append the EOS token."),
        ("max_length", "std::size_t", "0", ""),
    ]
    special = found["native/tokenizer.hpp::tok::Special"]
    assert special.signature == "enum class Special : TokenId"
    assert [f.name for f in special.fields] == ["kPad", "kBos", "kEos"]
    buffer = found["native/tokenizer.hpp::tok::TokenBuffer"]
    assert buffer.signature == "template <std::size_t N> struct TokenBuffer"
    assert [(f.name, f.annotation) for f in buffer.fields] == [("ids", "TokenId[N]"), ("size", "std::size_t")]


def test_cpp_out_of_class_definitions_and_private_helpers():
    found = symbols("native/tokenizer.cpp")
    assert not found["native/tokenizer.cpp::tok::split_words"].public  # anonymous namespace
    assert not found["native/tokenizer.cpp::tok::is_space"].public  # static
    impl = found["native/tokenizer.cpp::tok::Tokenizer"]
    assert impl.kind == "impl"  # the class itself is declared in the header
    assert impl.location == Location("native/tokenizer.cpp", 29, 77)
    encode = found["native/tokenizer.cpp::tok::Tokenizer::encode"]
    assert encode.kind == "method"
    assert encode.signature == (
        "std::vector<TokenId> Tokenizer::encode(std::string_view text, const EncodeOptions& options) const"
    )
    assert section(encode, "returns").items[0].description == "the token ids, with BOS/EOS as requested"
    overloads = [i for i in found if i.startswith("native/tokenizer.cpp::tok::Tokenizer::encode-")]
    assert len(overloads) == 1
    assert found["native/tokenizer.cpp::tok::count_tokens"].kind == "function"


def test_c_prototype_and_definition_are_one_function():
    source = (
        "/** Declared. */\nstatic int f(int x);\n\nint g(void);\n\nstatic int f(int x) { return x; }\n"
        "/** Defined. */\nint g(void) { return 1; }\n"
    )
    file, _ = parse_source("m.c", "c", source)
    assert [(c.id, c.public, c.docstring.raw) for c in file.children] == [
        ("m.c::f", False, "Declared."),
        ("m.c::g", True, "Defined."),
    ]


# --- CUDA -------------------------------------------------------------------------------------


def test_cuda_kernels_and_execution_space_labels():
    found = symbols("native/kernels.cuh")
    kernel = found["native/kernels.cuh::add_kernel"]
    assert kernel.signature == "__global__ void add_kernel(const float* a, const float* b, float* out, int n)"
    assert (kernel.kind, kernel.labels, kernel.returns) == ("function", ("kernel",), "void")
    assert kernel.params[3] == Param("n", "int", description="number of elements")
    assert found["native/kernels.cuh::relu"].labels == ("device", "host", "inline")
    launch = found["native/kernels.cuh::launch_add"]
    assert launch.params[-1] == Param("stream", "cudaStream_t", "0")
    assert section(launch, "text").text == "Launch ::add_kernel on `stream`."


def test_cuda_source_with_launch_syntax():
    file, skipped = parse("native/kernels.cu")
    assert skipped == []  # `add_kernel<<<blocks, threads, 0, stream>>>(...)` parses
    found = symbols("native/kernels.cu")
    assert [c.name for c in file.children] == ["add_kernel", "scale_kernel", "warp_sum", "launch_add"]
    assert found["native/kernels.cu::add_kernel"].docstring.raw == "Grid-stride loop, so any n works with a fixed grid."  # a `//` block
    scale = found["native/kernels.cu::scale_kernel"]
    assert scale.labels == ("kernel", "template")
    assert scale.location == Location("native/kernels.cu", 22, 29)
    assert section(scale, "text").text == "Scale every element of `x` by `factor`."
    warp = found["native/kernels.cu::warp_sum"]
    assert (warp.public, warp.labels) == (False, ("device", "static"))


# --- JavaScript -------------------------------------------------------------------------------


def test_js_module_doc_and_exports_decide_publicity():
    file, _ = parse("web/client.js")
    assert file.docstring.raw == "Minimal HTTP client for the inference server.\n\n@module client"
    assert section(file, "text").text == "Minimal HTTP client for the inference server."
    assert [(c.name, c.kind, c.public) for c in file.children] == [
        ("InferenceClient", "class", True),
        ("streamTokens", "function", True),
        ("withRetry", "function", True),
        ("backoff", "function", False),
    ]


def test_js_class_members_labels_and_private_names():
    found = symbols("web/client.js")
    cls = found["web/client.js::InferenceClient"]
    assert (cls.signature, cls.labels) == ("export class InferenceClient", ("export",))
    examples = section(cls, "examples")
    assert examples.text.startswith('```js\nconst client = new InferenceClient("http://localhost:8080");')
    members = {c.name: c for c in cls.children}
    assert members["generate"].labels == ("async",)
    assert members["authenticated"].labels == ("get",)
    assert members["fromEnv"].labels == ("static",)
    assert not members["_headers"].public and not members["#request"].public
    assert members["generate"].public
    assert cls.fields == ()  # `#token` is private


def test_jsdoc_sections_and_types_fill_untyped_params():
    found = symbols("web/client.js")
    generate = found["web/client.js::InferenceClient::generate"]
    assert generate.signature == "async generate(prompt, params = {})"
    assert generate.params == (
        Param("prompt", "string", description="text to complete"),
        Param("params", "{maxTokens?: number}", "{}", description="sampling parameters"),
    )
    assert section(generate, "parameters").items[1] == DocItem(
        "params", "{maxTokens?: number}", "sampling parameters", "{}"
    )
    assert section(generate, "returns").items == (
        DocItem(annotation="Promise<string>", description="the generated text"),
    )
    assert section(generate, "raises").items == (
        DocItem(annotation="Error", description="when the server answers with an error status"),
    )
    constructor = found["web/client.js::InferenceClient::constructor"]
    assert [item.name for item in section(constructor, "parameters").items] == [
        "baseUrl",
        "options",
        "options.timeoutMs",
    ]


def test_js_generator_and_arrow_functions():
    found = symbols("web/client.js")
    stream = found["web/client.js::streamTokens"]
    assert stream.signature == "export async function* streamTokens(client, prompt)"
    assert stream.labels == ("async", "export", "generator")
    retry = found["web/client.js::withRetry"]
    assert retry.signature == "export const withRetry = async (fn, retries = 3)"
    assert retry.params == (Param("fn"), Param("retries", default="3"))
    assert retry.location == Location("web/client.js", 81, 90)


def test_js_script_without_exports_is_public_except_underscored():
    file, _ = parse_source(
        "s.js", "javascript", "function a() {}\nfunction _b() {}\nmodule.exports = { a };\n"
    )
    assert [(c.name, c.public) for c in file.children] == [("a", True), ("_b", False)]


# --- TypeScript -------------------------------------------------------------------------------


def test_ts_interface_type_alias_and_enum():
    found = symbols("web/api.ts")
    model = found["web/api.ts::Model"]
    assert (model.kind, model.signature) == ("interface", "export interface Model")
    assert [(f.name, f.annotation, f.description) for f in model.fields] == [
        ("id", "string", "Unique id, e.g. `llama-3-8b`."),
        ("name", "string", ""),
        ("sizeB", "number (optional)", "Parameter count in billions."),
        ("tags", "readonly string[]", ""),  # modifiers shown with the type, as TypeDoc does
    ]
    load = found["web/api.ts::Model::load"]
    assert (load.kind, load.returns, load.params) == ("method", "Promise<void>", (Param("device", "Device"),))
    device = found["web/api.ts::Device"]
    assert (device.kind, device.signature) == ("type_alias", 'export type Device = "cpu" | "cuda" | "mps"')
    precision = found["web/api.ts::Precision"]
    assert [(f.name, f.default) for f in precision.fields] == [
        ("FP32", '"fp32"'),
        ("FP16", '"fp16"'),
        ("INT8", '"int8"'),
    ]
    assert not found["web/api.ts::HasStatus"].public


def test_ts_function_signature_tsdoc_and_overloads():
    found = symbols("web/api.ts")
    fetch = found["web/api.ts::fetchModel"]
    assert fetch.signature == "export async function fetchModel(id: string): Promise<Model>"
    assert (fetch.returns, fetch.labels) == ("Promise<Model>", ("async", "export"))
    assert fetch.params == (Param("id", "string", description="the model id"),)
    assert section(fetch, "raises").items == (
        DocItem(annotation="RegistryError", description="if the model does not exist"),
    )
    overloads = [s for i, s in found.items() if i.split("-", 1)[0] == "web/api.ts::listModels"]
    assert [o.signature for o in overloads] == [
        "export function listModels(): Promise<Model[]>",
        "export function listModels(tag: string): Promise<Model[]>",  # the implementation is left out
    ]
    assert overloads[1].docstring.summary == "List the models carrying `tag`."
    assert not found["web/api.ts::normalizeId"].public


def test_ts_classes_heritage_modifiers_and_namespaces():
    found = symbols("web/api.ts")
    error = found["web/api.ts::RegistryError"]
    assert error.bases == ("Error", "HasStatus")
    cache = found["web/api.ts::ModelCache"]
    assert cache.signature == "export abstract class ModelCache<K extends string = string>"
    assert cache.labels == ("abstract", "export")
    type_params = section(cache, "other parameters")
    assert (type_params.title, type_params.items) == ("Type parameters", (DocItem("K", "", "key type"),))
    members = {c.name: c for c in cache.children}
    assert members["evict"].labels == ("abstract",) and members["evict"].public
    assert (members["touch"].public, members["touch"].labels) == (True, ("protected",))  # for subclasses, as TypeDoc lists it
    assert (members["create"].public, members["create"].labels) == (False, ("static",))
    assert [(f.name, f.annotation) for f in cache.fields] == [("entries", "protected readonly")]  # private ones stay out
    url = found["web/api.ts::Registry::url"]
    assert (url.public, url.kind) == (True, "function")
    assert found["web/api.ts::Registry"].kind == "namespace"


def test_tsx_components():
    file, _ = parse("web/widget.tsx")
    assert section(file, "text").text == "React widgets that show models from the registry."
    found = symbols("web/widget.tsx")
    assert found["web/widget.tsx::ModelCardProps"].docstring.raw == "Props of {@link ModelCard}."
    assert section(found["web/widget.tsx::ModelCardProps"], "text").text == "Props of [`ModelCard`][ModelCard]."
    card = found["web/widget.tsx::ModelCard"]
    assert card.signature == "export function ModelCard({ model, onSelect }: ModelCardProps): JSX.Element"
    assert card.location == Location("web/widget.tsx", 19, 27)
    badge = found["web/widget.tsx::Badge"]
    assert badge.signature == "export const Badge = ({ label }: { label: string })"
    assert not found["web/widget.tsx::formatSize"].public


# --- Rust -------------------------------------------------------------------------------------


def test_rust_items_and_crate_doc():
    file, _ = parse("rust/src/lib.rs")
    assert file.docstring.summary == "Fast byte-pair-encoding tokenizer."
    assert kinds(file) == [
        ("TokenId", "type_alias"),
        ("Error", "enum"),
        ("Encode", "trait"),
        ("Tokenizer", "struct"),  # `impl Encode for HashMap<..>` is listed under `Encode`
        ("decode_unchecked", "function"),
        ("max_len", "function"),
        ("warm_up", "function"),
        ("bytes", "namespace"),
    ]


def test_rust_impl_methods_join_their_struct():
    found = symbols("rust/src/lib.rs")
    tokenizer = found["rust/src/lib.rs::Tokenizer"]
    assert tokenizer.signature == "pub struct Tokenizer"
    assert tokenizer.bases == ()  # traits it implements are members of their own
    assert tokenizer.location == Location("rust/src/lib.rs", 41, 45)  # the attribute line is not the item
    assert [(f.name, f.annotation, f.description) for f in tokenizer.fields] == [
        ("vocab", "HashMap<String, TokenId>", "Token string to id.")
    ]
    assert [c.id.rsplit("::", 1)[1] for c in tokenizer.children] == ["new", "encode", "merge", "from_file", "impl Encode for Tokenizer"]
    encode = found["rust/src/lib.rs::Tokenizer::encode"]
    assert encode.signature == "pub fn encode(&self, text: &str) -> Vec<u32>"
    assert (encode.kind, encode.returns, encode.public) == ("method", "Vec<u32>", True)
    assert encode.params == (Param("&self"), Param("text", "&str"))
    assert not found["rust/src/lib.rs::Tokenizer::merge"].public
    trait_impl = tokenizer.children[-1]  # listed apart from the inherent methods, as rustdoc does
    assert (trait_impl.kind, trait_impl.signature, trait_impl.public) == ("impl", "impl Encode for Tokenizer", True)
    assert [(c.name, c.public) for c in trait_impl.children] == [("encode", True)]  # a trait method
    assert found["rust/src/lib.rs::Error::impl fmt::Display for Error::fmt"].kind == "method"
    assert found["rust/src/lib.rs::Error"].bases == ()


def test_rust_examples_section_and_markdown_text():
    found = symbols("rust/src/lib.rs")
    tokenizer = found["rust/src/lib.rs::Tokenizer"]
    assert section(tokenizer, "text").text == "A byte-pair-encoding tokenizer."
    assert section(tokenizer, "examples").text == (
        '```\nuse tokenizer::Tokenizer;\nlet tok = Tokenizer::new();\nassert!(tok.encode("hi").is_empty());\n```'
    )
    from_file = found["rust/src/lib.rs::Tokenizer::from_file"]
    # Doc headings nest under the symbol; intra-doc links are written as docgen links them.
    assert section(from_file, "text").text == "Load a vocabulary from `path`."
    errors = section(from_file, "admonition")
    assert (errors.title, errors.text) == ("Errors", "Returns `Error::Io` if the file cannot be read.")


def test_rust_traits_enums_visibility_and_modifiers():
    found = symbols("rust/src/lib.rs")
    trait = found["rust/src/lib.rs::Encode"]
    assert [(c.name, c.kind, c.public) for c in trait.children] == [
        ("encode", "method", True),
        ("count", "method", True),
        ("impl Encode for HashMap<String, TokenId>", "impl", True),  # a foreign type: listed under the trait
    ]
    error = found["rust/src/lib.rs::Error"]
    assert [(f.name, f.annotation, f.description) for f in error.fields] == [
        ("Io", "(std::io::Error)", "The file could not be read."),
        ("Parse", "{ line: usize, message: String }", "The vocabulary is malformed."),
    ]
    assert found["rust/src/lib.rs::decode_unchecked"].labels == ("unsafe",)
    max_len = found["rust/src/lib.rs::max_len"]
    assert (max_len.public, max_len.labels) == (False, ("const",))  # pub(crate)
    assert found["rust/src/lib.rs::warm_up"].labels == ("async",)
    impl = found["rust/src/lib.rs::Encode::impl Encode for HashMap<String, TokenId>"]
    assert (impl.signature, impl.bases) == ("impl Encode for HashMap<String, TokenId>", ())
    assert impl.docstring.summary == "Whitespace lookup, handy in tests."
    assert found["rust/src/lib.rs::bytes::byte_to_char"].public


# --- Go ---------------------------------------------------------------------------------------


def test_go_package_doc_and_declarations():
    file, _ = parse("go/server.go")
    assert section(file, "text").text == (
        "Package server exposes a loaded model over HTTP.\n\nStart one with [NewServer][NewServer] and [Server.Start][Server.Start]."
    )
    assert kinds(file) == [
        ("Generator", "interface"),
        ("Server", "struct"),
        ("HandlerFunc", "type_alias"),
        ("request", "struct"),
        ("NewServer", "function"),
        ("Map", "function"),
        ("clamp", "function"),
        ("cache", "impl"),
    ]


def test_go_methods_join_their_receiver_type():
    found = symbols("go/server.go")
    server = found["go::Server"]
    assert server.signature == "type Server struct"
    assert [(f.name, f.annotation, f.description) for f in server.fields] == [
        ("Model", "Generator", "Model answers the requests."),
        ("Timeout", "time.Duration", ""),
    ]
    assert [(c.name, c.public) for c in server.children] == [
        ("Start", True),
        ("handleGenerate", False),
        ("Served", True),
    ]
    start = found["go::Server::Start"]
    assert start.signature == "func (s *Server) Start(addr string) error"
    assert (start.kind, start.returns, start.params) == ("method", "error", (Param("addr", "string"),))
    assert start.docstring.summary == "Start listens on addr and serves until the listener fails."
    assert found["go::cache::Get"].returns == "(string, bool)"


def test_go_interfaces_generics_and_grouped_names():
    found = symbols("go/server.go")
    generator = found["go::Generator"]
    assert (generator.signature, generator.bases) == ("type Generator interface", ("io.Closer",))
    generate = found["go::Generator::Generate"]
    assert (generate.kind, generate.returns) == ("method", "(string, error)")
    mapper = found["go::Map"]
    assert mapper.signature == "func Map[T, U any](xs []T, f func(T) U) []U"
    assert found["go::clamp"].params == (Param("v", "int"), Param("lo", "int"), Param("hi", "int"))
    assert not found["go::clamp"].public
    assert found["go::HandlerFunc"].signature == (
        "type HandlerFunc func(w http.ResponseWriter, r *http.Request) error"
    )


# --- doc comment attachment -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "source"),
    [
        ("c", "/** Detached. */\n\nint f(void);\n"),  # a blank line in between
        ("c", "/* Plain block. */\nint f(void);\n"),  # not a doc comment
        ("c", "// NOLINT(build/include)\nint f(void);\n"),  # a tool's directive
        ("c", "// ----------------------------------\nint f(void);\n"),  # a ruler
        ("c", "/** @file f.c\n * The file.\n */\nint f(void);\n"),  # the file's, not f's
        ("rust", "//// Not a doc comment.\nfn f() {}\n"),
        ("javascript", "/* Plain block. */\nfunction f() {}\n"),
    ],
)
def test_comments_that_do_not_document_the_next_declaration(language, source):
    file, _ = parse_source("x", language, source)
    assert file.children[0].docstring is None


def test_go_directives_are_not_documentation():
    file, _ = parse_source("x.go", "go", "package p\n\n// Run runs.\n//go:noinline\nfunc Run() {}\n")
    assert file.children[0].docstring.raw == "Run runs."


# --- robustness -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "source", "line", "names"),
    [
        (
            "c",
            "/** Good. */\nint good(int x);\n\nint broken(int x {\n  return x;\n}\n\nint after(void);\n",
            4,
            ["good", "after"],
        ),
        (
            "cpp",
            "namespace n {\nclass A {\npublic:\n  void f();\n  int g( ;\n};\n}\nvoid h();\n",
            5,
            ["n", "h"],
        ),
        (
            "typescript",
            "export interface A { x: number }\nexport function f(: string {}\nexport type B = string;\n",
            2,
            ["A", "B"],
        ),
        ("rust", "pub fn ok() {}\npub fn bad( -> u8 {}\npub struct S;\n", 2, ["ok", "S"]),
        ("go", "package p\n\nfunc Ok() {}\n\nfunc Bad( {\n}\n\ntype T struct{}\n", 5, ["Ok", "T"]),
    ],
)
def test_syntax_error_reports_one_skipped_and_keeps_good_symbols(language, source, line, names):
    file, skipped = parse_source("broken", language, source)
    assert skipped == [read_in_part("broken", SYNTAX_ERROR, line)]
    found = [child.name for child in file.children]
    assert all(name in found for name in names)


def test_extern_c_guards_are_not_syntax_errors():
    source = '#ifdef __cplusplus\nextern "C" {\n#endif\n\nint f(void);\n\n#ifdef __cplusplus\n}\n#endif\n'
    file, skipped = parse_source("g.h", "c", source)
    assert skipped == []
    assert [child.name for child in file.children] == ["f"]


def test_large_generated_c_file_parses_fast():
    chunks = ["#include <stddef.h>\n"]
    for index in range(200):
        chunks.append(
            f"/**\n * Value {index}.\n * @param x input\n * @return the sum\n */\n"
            f"int fn_{index}(int x, const char *name)\n{{\n    return x + {index};\n}}\n\n"
        )
    source = "".join(chunks)
    assert source.count("\n") >= 2000
    parse_source("warm.c", "c", "int warm(void);\n")  # grammar loading is a one-off cost
    started = time.perf_counter()
    file, skipped = parse_source("big.c", "c", source)
    elapsed = time.perf_counter() - started
    assert (len(file.children), skipped) == (200, [])
    assert file.children[-1].params[0].description == "input"
    # Linear work takes a fraction of a second; the quadratic regression this guards
    # against took minutes. The bound is loose because test machines are shared.
    assert elapsed < 5.0


# --- real-world headers: C++ in `.h`, export macros --------------------------------------------

HEADERS = Path(__file__).parents[1] / "fixtures" / "treesitter"


@functools.cache
def parse_header(name: str) -> tuple[Symbol, list[Problem]]:
    """Parse a real-world-like header as the scanner would: every `.h` arrives as C."""
    assert EXTENSIONS[".h"] == "c"
    return parse_source(name, "c", (HEADERS / name).read_text(encoding="utf-8"))


def header_symbols(name: str) -> dict[str, Symbol]:
    return {symbol.id: symbol for symbol in parse_header(name)[0].walk()}


@pytest.mark.parametrize(("name", "language"), [("db.h", "cpp"), ("tensor.h", "cpp"), ("llama.h", "c")])
def test_header_language_comes_from_its_content_and_parses_cleanly(name, language):
    file, skipped = parse_header(name)
    assert skipped == []
    assert {symbol.language for symbol in file.walk()} == {language}
    ids = [symbol.id for symbol in file.walk()]
    assert len(ids) == len(set(ids))


def test_cpp_header_with_export_macro_classes():
    file, _ = parse_header("db.h")
    assert kinds(file) == [("leveldb", "namespace")]
    assert kinds(file.children[0]) == [
        ("Snapshot", "class"),
        ("Range", "struct"),
        ("DB", "class"),
        ("DestroyDB", "function"),
        ("RepairDB", "function"),
    ]
    found = header_symbols("db.h")
    db = found["db.h::leveldb::DB"]
    assert (db.signature, db.public, db.location) == ("class DB", True, Location("db.h", 49, 83))
    assert db.docstring.summary == "A DB is a persistent ordered map from keys to values."
    assert [re.sub(r"-[0-9a-f]{6}$", "-*", child.id.rsplit("::", 1)[1]) for child in db.children] == [
        "Open",
        "DB",
        "DB-*",
        "operator=",
        "~DB",
        "Put",
        "Delete",
        "Get",
        "MaybeScheduleCompaction",
    ]
    put = found["db.h::leveldb::DB::Put"]
    assert put.signature == (
        "virtual Status Put(const WriteOptions& options, const Slice& key, const Slice& value) = 0"
    )
    assert (put.kind, put.labels, put.returns, put.public) == ("method", ("abstract", "virtual"), "Status", True)
    assert put.docstring.summary == 'Set the database entry for "key" to "value".'
    assert put.params[0].description == "write options; consider setting `options.sync = true`"
    assert found["db.h::leveldb::DB::Open"].labels == ("static",)
    assert not found["db.h::leveldb::DB::MaybeScheduleCompaction"].public
    snapshot = found["db.h::leveldb::Snapshot"]
    assert snapshot.docstring.summary == "Abstract handle to particular state of a DB."
    assert not found["db.h::leveldb::Snapshot::~Snapshot"].public  # protected
    range_ = found["db.h::leveldb::Range"]
    assert (range_.signature, range_.docstring.raw) == ("struct Range", "A range of keys.")
    assert [(f.name, f.annotation, f.description) for f in range_.fields] == [
        ("start", "Slice", "Included in the range."),
        ("limit", "Slice", "Not included in the range."),
    ]


def test_cpp_header_functions_after_export_macro():
    found = header_symbols("db.h")
    destroy = found["db.h::leveldb::DestroyDB"]
    assert destroy.signature == "Status DestroyDB(const std::string& name, const Options& options)"
    assert (destroy.kind, destroy.returns, destroy.public) == ("function", "Status", True)
    assert destroy.location == Location("db.h", 87, 88)
    assert destroy.docstring.raw == (
        "Destroy the contents of the specified database.\nBe very careful using this method."
    )
    assert [p.name for p in destroy.params] == ["name", "options"]
    assert found["db.h::leveldb::RepairDB"].docstring.summary.startswith("If a DB cannot be opened")


def test_torch_like_struct_with_export_macro_and_bases():
    file, _ = parse_header("tensor.h")
    assert kinds(file.children[0]) == [
        ("Tensor", "struct"),
        ("TensorOptions", "class"),
        ("operator<<", "function"),
        ("add", "function"),
    ]
    found = header_symbols("tensor.h")
    tensor = found["tensor.h::at::Tensor"]
    assert (tensor.signature, tensor.bases) == ("struct Tensor : public TensorBase", ("TensorBase",))
    assert tensor.docstring.summary == "A multi-dimensional array of elements of a single data type."
    assert [(c.name, c.public) for c in tensor.children] == [
        ("Tensor", True),
        ("Tensor", True),
        ("dim", True),
        ("view", True),
        ("enforce_invariants", False),
    ]
    assert found["tensor.h::at::Tensor::view"].params[0].description == "the new shape; one dimension may be -1"
    assert [(f.name, f.annotation, f.default) for f in tensor.fields] == [("requires_grad", "bool", "false")]
    options = found["tensor.h::at::TensorOptions"]
    assert (options.name, options.bases, options.labels) == ("TensorOptions", ("OptionsBase",), ("final",))
    assert options.signature == "class TensorOptions final : public OptionsBase"
    assert [c.name for c in options.children] == ["dtype"]
    printer = found["tensor.h::at::operator<<"]
    assert printer.returns == "std::ostream&"
    assert printer.docstring.raw == "Print a tensor's summary."
    add = found["tensor.h::at::add"]
    assert add.signature == "Tensor add(const Tensor& self, const Tensor& other)"
    assert add.docstring.raw == "Add two tensors element-wise."


def test_c_header_with_export_macro_functions_keeps_their_docs():
    file, _ = parse_header("llama.h")
    assert kinds(file) == [
        ("LLAMA_API", "macro"),  # defined in four branches of `#if`: one macro
        ("LLAMA_DEFAULT_SEED", "macro"),
        ("llama_pos", "type_alias"),
        ("llama_token", "type_alias"),
        ("llama_vocab_type", "enum"),
        ("llama_model_params", "struct"),
        ("llama_model_default_params", "function"),
        ("llama_backend_init", "function"),
        ("llama_model_load_from_file", "function"),
        ("llama_model_free", "function"),
        ("llama_tokenize", "function"),
    ]
    found = header_symbols("llama.h")
    defaults = found["llama.h::llama_model_default_params"]
    assert defaults.signature == "struct llama_model_params llama_model_default_params(void)"
    assert (defaults.returns, defaults.params) == ("struct llama_model_params", ())
    assert defaults.docstring.raw == "Helpers for getting default parameters"  # the `//` line right above
    load = found["llama.h::llama_model_load_from_file"]
    assert (load.kind, load.public, load.returns) == ("function", True, "struct llama_model *")
    assert load.location == Location("llama.h", 62, 64)
    assert load.docstring.summary == "Load a model from a file."
    assert [(p.name, p.annotation, p.description) for p in load.params] == [
        ("path_model", "const char *", "path to a GGUF file"),
        ("params", "struct llama_model_params", ""),
    ]
    assert section(load, "returns").items == (DocItem(description="the model, or NULL on failure"),)
    free = found["llama.h::llama_model_free"]
    assert free.signature == "void llama_model_free(struct llama_model * model)"
    assert free.docstring.raw == "Free all memory held by a model."
    assert found["llama.h::llama_backend_init"].docstring.summary == "Initialize the llama + ggml backend."
    tokenize = found["llama.h::llama_tokenize"]
    assert tokenize.returns == "int32_t"
    assert [p.name for p in tokenize.params][:2] == ["vocab", "text"]
    assert tokenize.params[3].description.startswith("The tokens pointer must be large enough")
    params = found["llama.h::llama_model_params"]
    assert [(f.name, f.annotation, f.description) for f in params.fields] == [
        ("n_gpu_layers", "int32_t", "Number of layers to store in VRAM."),
        ("vocab_only", "bool", "Only load the vocabulary, no weights."),
    ]


@pytest.mark.parametrize(
    ("source", "language"),
    [
        ("namespace n {\nint f();\n}\n", "cpp"),
        ("template <typename T>\nT id(T x);\n", "cpp"),
        ("class A;\n", "cpp"),
        ("struct S {\n public:\n  int x;\n};\n", "cpp"),
        ("using Id = int;\n", "cpp"),
        ("std::string name(void);\n", "cpp"),
        ('extern "C++" {\nint f(int);\n}\n', "cpp"),
        ("enum class E { A };\n", "cpp"),
        # C++-looking text in comments and strings, and the usual guards, leave a header C.
        ("/* see ns::f, class A {} */\n// namespace n {\nint f(void);\n", "c"),
        ('#define NAME "std::string"\nconst char *g(void);\n', "c"),
        ('#ifdef __cplusplus\nextern "C" {\n#endif\nint f(void);\n#ifdef __cplusplus\n}\n#endif\n', "c"),
    ],
)
def test_h_language_is_sniffed_from_code_outside_comments_and_strings(source, language):
    file, skipped = parse_source("x.h", "c", source)
    assert (file.language, skipped) == (language, [])


def test_only_h_files_are_sniffed():
    assert parse_source("x.c", "c", "class A { };\n")[0].language == "c"
    assert parse_source("x.hpp", "cpp", "int f(void);\n")[0].language == "cpp"


def test_all_caps_types_and_bit_fields_are_not_macros():
    source = (
        "typedef void *HANDLE;\n"
        "struct S {\n  HANDLE h;\n  DWORD flags;\n  struct MODE mode : 3;\n};\n"
        "FILE *open_log(const char *path);\n"
        "/** Make. */\nstruct S MAKE(int x);\n"
    )
    file, skipped = parse_source("x.h", "c", source)
    assert skipped == []
    assert kinds(file) == [
        ("HANDLE", "type_alias"),
        ("S", "struct"),
        ("open_log", "function"),
        ("MAKE", "function"),
    ]
    assert [(f.name, f.annotation) for f in file.children[1].fields] == [
        ("h", "HANDLE"),
        ("flags", "DWORD"),
        ("mode", "struct MODE"),
    ]
    assert file.children[2].returns == "FILE *"
    assert file.children[3].docstring.raw == "Make."


@pytest.mark.parametrize(
    ("source", "name", "signature"),
    [
        ("class FOO_API\n    Multi {\n public:\n  int x;\n};\n", "Multi", "class Multi"),
        ("class A_API B_DEPRECATED Two : public ns::Base {};\n", "Two", "class Two : public ns::Base"),
        (
            "template <typename T>\nclass _LIBCPP_TEMPLATE_VIS Box {};\n",
            "Box",
            "template <typename T> class Box",
        ),
        (
            "FOO_API std::map<int, std::vector<int>> table(int n);\n",
            "table",
            "std::map<int, std::vector<int>> table(int n)",
        ),
        ("static GGML_INLINE float half(float x);\n", "half", "static float half(float x)"),
        (
            "template <typename T> C10_API T cast(const Any& a);\n",
            "cast",
            "template <typename T> T cast(const Any& a)",
        ),
    ],
)
def test_export_macro_positions(source, name, signature):
    file, skipped = parse_source("x.hpp", "cpp", "/** Doc. */\n" + source)
    assert skipped == []
    assert [(c.name, c.signature, c.docstring.raw) for c in file.children] == [(name, signature, "Doc.")]
    assert file.children[0].location.start == 2


def test_macro_lookalikes_in_comments_and_strings_stay():
    source = (
        '// class FOO_API Commented {\nconst char *s = "class FOO_API InString {";\n'
        "class FOO_API Real {};\n"
    )
    file, skipped = parse_source("x.hpp", "cpp", source)
    assert skipped == []
    assert [c.name for c in file.children] == ["Real"]


def test_export_macros_do_not_slow_large_headers():
    chunks = [f"/** Value {i}. */\nGGML_API int fn_{i}(struct ggml_tensor * t);\n" for i in range(3000)]
    chunks += ["FOO_API " + "a::b<c> " * 40 + "\n"] * 200  # no `(`: nothing for the regex to find
    source = "".join(chunks)
    parse_source("warm.h", "c", "int warm(void);\n")
    started = time.perf_counter()
    file, _ = parse_source("big.h", "c", source)
    elapsed = time.perf_counter() - started
    assert len(file.children) == 3000
    assert file.children[-1].docstring.raw == "Value 2999."
    assert elapsed < 10.0  # a fraction of a second when linear; minutes when not


@pytest.mark.parametrize(
    ("source", "ids", "left_out"),
    [
        ("func () M() {}\nfunc F() {}\n", ["x.go::F"], ["x.go:3: method M has no receiver type; left out"]),
        ("func (  ) M() {}\n", [], ["x.go:3: method M has no receiver type; left out"]),
        ("func (m ...T) M() {}\n", ["x.go::T", "x.go::T::M"], []),
        ("func (List[T]) Len() int { return 0 }\n", ["x.go::List", "x.go::List::Len"], []),
    ],
)
def test_go_receivers_odd_or_missing(source, ids, left_out):
    file, problems = parse_source("x.go", "go", "package m\n\n" + source)
    assert [s.id for s in file.walk()][1:] == ids
    assert [str(p) for p in problems] == left_out


def test_overload_ids_come_from_signatures_not_positions():
    source = "/** Int. */\nint encode(int x);\n/** Text. */\nint encode(const char* s);\n"
    before, _ = parse_source("x.hpp", "cpp", source)
    added, _ = parse_source("x.hpp", "cpp", "/** Double. */\nint encode(double d);\n" + source)
    text_before = next(c for c in before.children if c.docstring.raw == "Text.")
    text_after = next(c for c in added.children if c.docstring.raw == "Text.")
    assert text_before.id == text_after.id != "x.hpp::encode"
    assert len({c.id for c in added.children}) == 3


HEADER_WITH_LINE_COMMENTS = """\
#ifndef API_H
#define API_H

// Maximum number of widgets.
#define MAX_WIDGETS 64

/// Square a value.
#define SQUARE(x) ((x) * (x))

// A point in the plane.
struct point {
    int x;  ///< horizontal position
    int y;  // vertical position
};

enum color {
    RED,   ///< the red one
    GREEN, // the green one
};

template <typename T> struct Box { T v; };
template <> struct Box<int> { int v; };
template <> struct Box<float> { float v; };
#endif
"""


def test_line_comments_document_declarations_members_and_macros():
    file, problems = parse_source("api.hpp", "cpp", HEADER_WITH_LINE_COMMENTS)
    assert problems == []
    found = {s.id: s for s in file.walk()}
    assert "api.hpp::API_H" not in found  # the include guard is no macro of the API
    assert found["api.hpp::MAX_WIDGETS"].kind == "macro"
    assert (found["api.hpp::MAX_WIDGETS"].signature, found["api.hpp::MAX_WIDGETS"].docstring.raw) == ("#define MAX_WIDGETS 64", "Maximum number of widgets.")
    square = found["api.hpp::SQUARE"]
    assert (square.signature, [p.name for p in square.params], square.docstring.raw) == ("#define SQUARE(x) ((x) * (x))", ["x"], "Square a value.")
    point = found["api.hpp::point"]
    assert point.docstring.raw == "A point in the plane."
    assert [(f.name, f.description) for f in point.fields] == [("x", "horizontal position"), ("y", "vertical position")]
    assert [(f.name, f.description) for f in found["api.hpp::color"].fields] == [("RED", "the red one"), ("GREEN", "the green one")]
    # Specialisations are listed under their primary template, by their arguments.
    assert [c.id for c in found["api.hpp::Box"].children] == ["api.hpp::Box::Box<int>", "api.hpp::Box::Box<float>"]
    assert [c.name for c in file.children] == ["MAX_WIDGETS", "SQUARE", "point", "color", "Box"]


def test_cuda_in_a_header_reads_as_cuda():
    source = """\
#pragma once

// A vector of three floats.
struct float3x {
    float x, y, z;
    // Build one.
    __host__ __device__ float3x(float a, float b, float c) : x(a), y(b), z(c) {}
    // Its length.
    __device__ __forceinline__ float norm() const { return x * x + y * y + z * z; }
};

#if defined(FOO)
int a(void);
#endif
#endif

// After an unbalanced endif.
int after(void);
"""
    file, problems = parse_source("kern.h", "c", source)
    assert problems == []
    found = {s.id: s for s in file.walk()}
    vector = found["kern.h::float3x"]
    assert [f.name for f in vector.fields] == ["x", "y", "z"]  # no field named `__device__`
    assert [(c.name, c.signature) for c in vector.children] == [
        ("float3x", "__host__ __device__ float3x(float a, float b, float c)"),  # no method `y` from `: y(b)`
        ("norm", "__device__ __forceinline__ float norm() const"),
    ]
    assert found["kern.h::float3x::norm"].labels == ("const", "device", "inline")
    assert found["kern.h::after"].docstring.raw == "After an unbalanced endif."


def test_declarations_wrapped_in_or_after_macros_with_arguments_are_all_read():
    source = """\
#include <stdio.h>
#define API_DEPRECATED(decl, msg) decl __attribute__((deprecated(msg)))

// Add.
API int api_add(int a, int b);

// Old addition.
API_DEPRECATED(API int old(struct ctx * c,
                           int a), "use api_add");

API_NORETURN API_FORMAT(3, 4)
API void api_abort(const char * file, int line, const char * fmt, ...);

// Open a file.
GGML_API FILE * api_open(const char * name);

// Still read.
API int api_last(void);
"""
    file, problems = parse_source("api.h", "c", source)
    assert problems == []
    found = {c.name: c for c in file.children}
    assert list(found) == ["API_DEPRECATED", "api_add", "old", "api_abort", "api_open", "api_last"]
    old = found["old"]
    assert (old.signature, old.labels, old.docstring.raw) == ("int old(struct ctx * c, int a)", ("deprecated",), "Old addition.")
    assert found["api_abort"].signature == "void api_abort(const char * file, int line, const char * fmt, ...)"
    assert (found["api_open"].signature, found["api_open"].returns) == ("FILE * api_open(const char * name)", "FILE *")


def test_typescript_overloads_are_shown_without_their_implementation():
    source = """\
export class Client {
  /** Fetch one or many. */
  fetch(name: string): Promise<string>;
  fetch(name: string[]): Promise<string[]>;
  fetch(name: string | string[]): Promise<string | string[]> { return Promise.resolve(""); }
}

/** Parse a value. */
export function parse(text: string): number;
export function parse(text: string[]): number[];
export function parse(text: string | string[]): number | number[] { return 0; }

/** Not overloaded. */
export function plain(x: number): number { return x; }
"""
    file, problems = parse_source("client.ts", "typescript", source)
    assert problems == []
    client = file.children[0]
    assert [c.signature for c in client.children] == ["fetch(name: string): Promise<string>", "fetch(name: string[]): Promise<string[]>"]
    assert [c.signature for c in file.children[1:]] == [
        "export function parse(text: string): number",
        "export function parse(text: string[]): number[]",
        "export function plain(x: number): number",
    ]


def test_typescript_declarations_show_modifiers_and_default_tags():
    source = """\
/** Options for a client. */
export interface Options {
  /**
   * How long to wait.
   * @default 30
   */
  readonly timeout?: number;
}

/** A client. */
export declare class Client {
  /** The version. */
  static readonly VERSION: string;
}
"""
    file, problems = parse_source("index.d.ts", "typescript", source)
    assert problems == []
    options, client = file.children
    assert [(f.name, f.annotation, f.default, f.description) for f in options.fields] == [
        ("timeout", "readonly number (optional)", "30", "How long to wait.")
    ]
    assert [(f.name, f.annotation) for f in client.fields] == [("VERSION", "static readonly string")]
    assert client.signature == "export declare class Client"


def test_rust_impl_blocks_of_a_type_from_another_file_share_one_placeholder():
    source = "/// One.\nimpl a::Vec3 { pub fn one(&self) {} }\n/// Two.\nimpl a::Vec3 { pub fn two(&self) {} }\n"
    file, problems = parse_source("src/lib.rs", "rust", source)
    assert problems == []
    assert [(c.id, [m.name for m in c.children]) for c in file.children] == [("src/lib.rs::Vec3", ["one", "two"])]


def test_go_package_ids_are_unique_across_its_files():
    """`init` in two files and a type declared once per build tag (prometheus's
    `model/labels`) gave one id to several symbols; methods beside another file's type
    join its first declaration, which keeps the plain id."""
    files = {
        "labels/a_methods.go": "package labels\n\nfunc init() {}\n\n// Len counts.\nfunc (l Labels) Len() int { return 0 }\n",
        "labels/labels_slice.go": "//go:build slicelabels\n\npackage labels\n\nfunc init() {}\n\n// Labels as a slice.\ntype Labels []string\n\n// New makes one.\nfunc New() Labels { return nil }\n",
        "labels/labels_string.go": "//go:build !slicelabels\n\npackage labels\n\n// Labels as a string.\ntype Labels struct{ data string }\n\n// New makes one.\nfunc New() Labels { return Labels{} }\n",
    }
    parsed = [parse_source(path, "go", text)[0] for path, text in files.items()]
    (package,) = merge_go_packages(parsed)
    ids = [s.id for s in package.walk()]
    assert len(ids) == len(set(ids))
    labels = [c for c in package.children if c.name == "Labels"]
    assert [c.location.file for c in labels] == ["labels/labels_slice.go", "labels/labels_string.go"]
    assert labels[0].id == "labels::Labels" and labels[1].id.startswith("labels::Labels-")
    assert [m.id for m in labels[0].children] == ["labels::Labels::Len"]
    assert sorted(c.id.split("-")[0] for c in package.children if c.name in ("init", "New")) == [
        "labels::New", "labels::New", "labels::init", "labels::init",
    ]


def test_cpp_nested_type_defined_outside_its_class_holds_its_methods():
    source = """\
class socket_t {
    struct impl;
};

struct socket_t::impl {
    bool send_data(const void * data);
};

// Send it all.
bool socket_t::impl::send_data(const void * data) { return true; }
"""
    file, problems = parse_source("transport.cpp", "cpp", source)
    assert problems == []
    ids = [s.id for s in file.walk()]
    assert len(ids) == len(set(ids))
    impl = next(s for s in file.walk() if s.id == "transport.cpp::socket_t::impl")
    assert impl.kind == "struct"
    (method,) = impl.children
    assert (method.name, method.docstring.raw) == ("send_data", "Send it all.")


def test_macros_on_the_first_line_are_blanked_and_unwrapped():
    file, problems = parse_source("api.h", "c", 'GGML_DEPRECATED(GGML_API int old(int a), "use new");\nGGML_API int fresh(int a);\n')
    assert problems == []
    found = {c.name: c for c in file.children}
    assert (found["old"].signature, found["old"].labels, found["old"].location.start) == ("int old(int a)", ("deprecated",), 1)
    assert found["fresh"].signature == "int fresh(int a)"


def test_qualifier_and_vendor_macros_from_ggml_do_not_break_declarations():
    source = """\
// Quantize a row.
void quantize_row(const float * GGML_RESTRICT x, void * RESTRICT vy, int64_t k);

// Repeat.
static __dpct_inline__ float op_repeat(const float a, const float b) { return b; }

// Eight floats.
struct __builtin_align__(32) float8 {
    float x;
};

// The last one.
int last(void);

GGML_BACKEND_DL_IMPL(ggml_backend_cpu_reg)
"""
    file, problems = parse_source("ops.cpp", "cpp", source)
    assert problems == []
    found = {c.name: c for c in file.children}
    assert found["quantize_row"].signature == "void quantize_row(const float * x, void * vy, int64_t k)"
    assert [p.name for p in found["quantize_row"].params] == ["x", "vy", "k"]
    assert found["op_repeat"].signature == "static float op_repeat(const float a, const float b)"
    assert (found["float8"].kind, found["float8"].docstring.raw) == ("struct", "Eight floats.")
    assert found["last"].docstring.raw == "The last one."


def test_syntax_errors_inside_a_closed_function_body_hide_nothing():
    """ggml's statement macros (`GGML_TENSOR_LOCALS(...)` with no `;`) break the grammar
    inside bodies, where docgen reads no declaration: 54 of its files were reported read
    in part for nothing. A body that swallowed a function definition still is."""
    body_only = "void f(void) {\n    GGML_TENSOR_LOCALS\n\n    GGML_ASSERT(nb0 == 4);\n    x = 1;\n}\n\nint g(void);\n"
    file, problems = parse_source("a.c", "c", body_only)
    assert problems == []
    assert [c.name for c in file.children] == ["f", "g"]
    swallowed = "void f(void) {\n#ifdef X\n    if (a) {\n#endif\n}\n\nint g(void) { return 1; }\n"
    file, problems = parse_source("b.c", "c", swallowed)
    assert [p.code for p in problems] == ["read-in-part"]


@pytest.mark.parametrize(
    ("path", "language", "source"),
    [
        ("a.rs", "rust", "pub fn a() {\n    let v = (1, 2;\n\npub fn b() {}\n}\n"),
        ("a.ts", "typescript", "export function a() {\n  let v = (1, 2;\n\nexport function b() {}\n}\n"),
        ("a.go", "go", "package a\nfunc A() {\n\tv := (1, 2\n\nfunc B() {}\n}\n"),
        ("a.c", "c", "void a(void) {\n  int v = (1, 2;\n\nstruct B { int x; };\nint b(int);\n}\n"),
    ],
)
def test_a_body_that_runs_to_the_end_of_the_file_may_have_swallowed_declarations(path, language, source):
    """An unclosed bracket lets a body close on the file's last `}`: what followed is inside."""
    _, problems = parse_source(path, language, source)
    assert [p.code for p in problems] == ["read-in-part"]


def test_trait_constants_are_as_public_as_their_trait():
    file, _ = parse_source("shape.rs", "rust", "pub trait Shape {\n    /// Sides.\n    const SIDES: u32;\n    fn area(&self) -> f64;\n}\n")
    shape = file.children[0]
    assert [(c.name, c.kind, c.public) for c in shape.children] == [("SIDES", "constant", True), ("area", "method", True)]
