"""What the model is asked, page kind by page kind.

Every answer is JSON in a schema (constrained decoding where the backend offers it), so
that docgen, not the model, decides a page's structure, its headings, the names it lists
and where they link; the model writes only the sentences, which the verifier checks.
Bump a prompt's version when its wording, its schema or the page made of its answers
changes: pages drafted with an older version are drafted again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SYSTEM = (
    "You write documentation for the software project {project}. Use only the facts you are given; "
    "when they do not say something, leave it out. Name code exactly as the facts name it, in backticks. "
    "Write plain Markdown sentences: no HTML, no headings. Answer with JSON only."
)


@dataclass(frozen=True)
class Prompt:
    """One kind of page's request."""

    name: str
    version: int
    task: str
    schema: dict[str, Any]
    max_tokens: int
    # Lists whose items stand or fall whole: an item with text that names nothing is
    # dropped, not just its sentence (a question without its answer means nothing).
    whole: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """`name/version`, as guides record it."""
        return f"{self.name}/{self.version}"


def _text(limit: int) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit}


OVERVIEW = Prompt(
    name="overview",
    version=4,  # 4: the page draws its flows
    task=(
        "Write the overview of {subject}. In `purpose`, say in two or three sentences what it is for and "
        "when someone would use it. In `entry_points`, pick up to five of the entry points listed in the "
        "facts (copy each `name` exactly) and say in one sentence what each is for. In `flows`, explain each "
        "numbered call flow from the facts in one or two sentences: what happens, step by step."
    ),
    schema={
        "type": "object",
        "properties": {
            "purpose": _text(500),
            "entry_points": {
                "type": "array",
                "maxItems": 5,
                "items": {
                    "type": "object",
                    "properties": {"name": _text(120), "role": _text(200)},
                    "required": ["name", "role"],
                },
            },
            "flows": {
                "type": "array",
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "properties": {"number": {"type": "integer"}, "explanation": _text(350)},
                    "required": ["number", "explanation"],
                },
            },
        },
        "required": ["purpose", "entry_points", "flows"],
    },
    # Room for every field at its longest (a cut-off answer is not JSON); the limits keep
    # the answer to about 600 tokens, half a minute at the default model's speed here.
    max_tokens=1200,
)

TROUBLESHOOTING = Prompt(
    name="troubleshooting",
    version=2,
    task=(
        "Write a troubleshooting guide for {subject}. For each numbered error in the facts, say in `cause` "
        "what makes the code raise it (one or two sentences, from the raising function and its message) "
        "and in `fix` what the user should do instead (one or two sentences)."
    ),
    schema={
        "type": "object",
        "properties": {
            "errors": {
                "type": "array",
                "maxItems": 6,
                "items": {
                    "type": "object",
                    "properties": {"number": {"type": "integer"}, "cause": _text(300), "fix": _text(300)},
                    "required": ["number", "cause", "fix"],
                },
            }
        },
        "required": ["errors"],
    },
    max_tokens=1500,  # six errors, each field at its longest
)

DOCSTRING = Prompt(
    name="docstring",
    version=1,
    task=(
        "Write the missing docstrings of {subject}. For each symbol in the facts, under its name: in "
        "`summary`, one sentence saying what it does; in `params`, a short phrase for each parameter; in "
        "`returns`, what it returns; in `raises`, when it raises each error. Say only what its source shows."
    ),
    # One symbol's answer; `docgen.generate.prose.docstring_plan` builds a batch's schema from it,
    # naming each symbol, parameter and error itself (the model names none of them). Short
    # limits: with six symbols a call, SmolLM2 ran 16 tokens/s at 200/120 and 22 at 150/100.
    schema={
        "type": "object",
        "properties": {
            "summary": {"type": "string", "minLength": 1, "maxLength": 160},
            "params": {"type": "object", "additionalProperties": _text(100)},
            "returns": _text(120),
            "raises": {"type": "object", "additionalProperties": _text(120)},
        },
        "required": ["summary"],
    },
    max_tokens=0,  # computed per batch from its schema: every field at its longest
)


def _steps(count: int) -> dict[str, Any]:
    """Steps of prose and code: docgen numbers them and fences the code."""
    return {
        "type": "array",
        "maxItems": count,
        "items": {
            "type": "object",
            "properties": {"explanation": _text(250), "code": _text(500)},
            "required": ["explanation", "code"],
        },
    }


_CODE = (
    "Each step has an `explanation` (one or two sentences) and `code`: a short Python program that runs on its "
    "own (with its imports), using only code the facts show, or an empty string. Write the code plainly, without "
    "Markdown fences."
)

TUTORIAL = Prompt(
    name="tutorial",
    version=1,
    task=(
        "Write a getting-started tutorial for {subject}, from the entry points and the usage the facts show. In "
        "`introduction`, say in one or two sentences what the reader will do. In `steps`, give up to four steps in "
        "the order a new user takes them. " + _CODE
    ),
    schema={
        "type": "object",
        "properties": {"introduction": _text(300), "steps": _steps(4)},
        "required": ["introduction", "steps"],
    },
    max_tokens=1400,  # every field at its longest: prose about 4 characters a token, code about 3
)

HOW_TO = Prompt(
    name="how-to",
    version=1,
    task=(
        "Write a how-to guide for `{subject}`, from its signature and the usage the facts show. In `task`, say in "
        "one sentence what the reader gets done with it. In `steps`, give up to three steps. " + _CODE
    ),
    schema={
        "type": "object",
        "properties": {"task": _text(200), "steps": _steps(3)},
        "required": ["task", "steps"],
    },
    max_tokens=1100,
)

FAQ = Prompt(
    name="faq",
    version=1,
    task=(
        "Write the frequently asked questions of {subject}: up to six questions a new user would ask, each "
        "`answer` one to three sentences from the facts only. Name code exactly as the facts do, in backticks."
    ),
    schema={
        "type": "object",
        "properties": {
            "entries": {
                "type": "array",
                "maxItems": 6,
                "items": {
                    "type": "object",
                    "properties": {"question": _text(150), "answer": _text(350)},
                    "required": ["question", "answer"],
                },
            }
        },
        "required": ["entries"],
    },
    max_tokens=1100,
    whole=("entries",),
)

NOT_JSON = "Your previous answer was not one complete JSON object in the schema. Answer again, shorter, with JSON only."
FEEDBACK = (
    "Your previous answer named code that does not exist: {names}. Answer again, naming only code that "
    "appears in the facts."
)
BLOCK_FEEDBACK = "A code block of your previous answer {why}. Answer again with code that works, or none."


# At least this many of a list the facts hold: three roles are an overview's gist (each more
# costs the default model some seconds); every flow and every error is what its page is about.
MIN_ITEMS = {"entry_points": 3}


def schema_for(prompt: Prompt, items: int, flows: int = 0) -> dict[str, Any]:
    """`prompt`'s schema with its lists held to what the facts hold (`items` entry points
    or errors, `flows` call flows), neither more nor fewer: a small model asked for up to
    twelve of three things repeats itself, and one allowed none writes none (Qwen 1.5B
    left every overview without a role or a flow explained)."""
    schema = json.loads(json.dumps(prompt.schema))
    properties = schema["properties"]
    for name, count in (("entry_points", items), ("errors", items), ("flows", flows)):
        if name in properties:
            properties[name]["maxItems"] = min(properties[name]["maxItems"], count)
            properties[name]["minItems"] = min(properties[name]["maxItems"], MIN_ITEMS.get(name, count))
    return schema


def messages(project: str, prompt: Prompt, subject: str, facts: str) -> list[dict[str, str]]:
    """The chat messages for one page."""
    return [
        {"role": "system", "content": SYSTEM.format(project=project)},
        {"role": "user", "content": f"Facts:\n\n{facts}\n\nTask: {prompt.task.format(subject=subject)}"},
    ]
