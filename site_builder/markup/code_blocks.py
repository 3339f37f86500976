"""Code blocks in posts: info-string options, highlighting, and the Dockerfile check.

Every `dockerfile` / `docker` / `containerfile` block is checked with our BuildKit-exact checker
(`dockerfile_blocks`): alone, or with the other blocks of the post that share its `file=` name
(`plan()` checks those groups before the post's blocks are rendered). A short, accessible note
under the block says whether it builds and lists the hints. A block meant to show a mistake
opts out with `{check=false}`, or declares the codes it must produce with
`{expect-error="DF001"}` (the build fails if they do not occur). A block labelled `dockerfile`
that is plainly YAML, JSON or a shell session gets one `MD006` instead of a Dockerfile error per
line; an unlabelled block that is plainly a Dockerfile is highlighted as one, with an `MD007`
hint to label it (it is checked once labelled). Placeholders are marked in the HTML.
A block with `include=` shows a file of the site, checked at that file's own lines, and an
```` ```image-sizes ```` block is a table of measured sizes (`example_blocks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config.schema import DockerfileConfig
from ..diagnostics.diagnostic import Diagnostic, Severity
from ..dockerfile.placeholders import Placeholders, compile_placeholders
from .dockerfile_blocks import CheckedBlock, block_anchor, check_blocks
from .example_blocks import Inputs, image_sizes_block, include_block
from .fence_info import FenceInfo, parse_info
from .highlight import code_block_html, is_dockerfile
from .language_guess import looks_like_dockerfile, wrong_language
from .measurements import Measurements
from .outline import CodeBlock
from .post_variables import declared, placeholder_patterns


@dataclass(frozen=True, slots=True)
class Plan:
    """What is known of a post's code blocks before they render: the split files, checked
    together (by each block's fence line), and the variables the post asks the reader to set."""

    checked: dict[int, CheckedBlock] = field(default_factory=dict)
    names: frozenset[str] = frozenset()  # `post_variables`: placeholders unless declared


@dataclass(frozen=True, slots=True)
class CodeOptions:
    check_dockerfiles: bool = True
    dockerfile_hints: bool = True
    dockerfile_note: bool = True
    placeholders: tuple[str, ...] = ()  # the site's own placeholder patterns
    root: Path | None = None  # the site root, for include= (None: includes are not read)
    max_file_size: int = 5 * 1024 * 1024
    measurements: Measurements = field(default_factory=Measurements)

    @classmethod
    def from_config(
        cls,
        config: DockerfileConfig,
        root: Path | None = None,
        max_file_size: int = 5 * 1024 * 1024,
        measurements: Measurements | None = None,
    ) -> CodeOptions:
        return cls(
            config.check,
            config.hints,
            config.note,
            tuple(config.placeholders),
            root,
            max_file_size,
            measurements or Measurements(),
        )


@dataclass(frozen=True, slots=True)
class RenderedCode:
    """One code block's HTML, its problems, and whether it is a Dockerfile our parser accepted."""

    html: str
    diagnostics: tuple[Diagnostic, ...]
    accepted_dockerfile: bool = False
    inputs: Inputs = ()  # the site files it shows, with their stat facts (cache inputs)


class CodeRenderer:
    """Renders one code block to HTML and reports what is wrong with it."""

    def __init__(self, options: CodeOptions) -> None:
        self.options = options
        self.placeholders: Placeholders = compile_placeholders(options.placeholders)

    def _checked(self, info: FenceInfo) -> bool:
        return is_dockerfile(info.language) and info.check and self.options.check_dockerfiles

    def _placeholders_for(self, names: frozenset[str], code: str) -> Placeholders:
        """The site's placeholders, plus `${NAME}` of each name the post asks to set that the
        Dockerfile `code` does not declare itself."""
        wanted = names - declared(code) if names else names
        if not wanted:
            return self.placeholders
        return compile_placeholders((*self.options.placeholders, *placeholder_patterns(wanted)))

    def plan(
        self, path: str, blocks: Sequence[CodeBlock], names: frozenset[str] = frozenset()
    ) -> Plan:
        """The blocks of one post that share a `file=` name, checked together, by fence line;
        `names` are the variables the post asks its reader to set."""
        groups: dict[str, list[tuple[CodeBlock, FenceInfo]]] = {}
        for block in blocks:
            if "file" not in block.info:
                continue
            info = parse_info(block.info)
            if (
                info.file
                and not info.include
                and self._checked(info)
                and wrong_language(block.code) is None
            ):
                groups.setdefault(info.file, []).append((block, info))
        plan = Plan(names=names)
        for parts in groups.values():
            whole = "\n".join(block.code for block, _ in parts)
            checked = check_blocks(
                path,
                parts,
                hints=self.options.dockerfile_hints,
                note=self.options.dockerfile_note,
                placeholders=self._placeholders_for(names, whole),
            )
            for (block, _), result in zip(parts, checked, strict=True):
                plan.checked[block.line] = result
        return plan

    def render(self, path: str, block: CodeBlock, plan: Plan | None = None) -> RenderedCode:
        info = parse_info(block.info)
        found: list[Diagnostic] = []
        for problem in info.problems:
            found.append(
                Diagnostic(path, block.line, block.column, Severity.WARNING, "MD002", problem)
            )
        if not block.closed:
            found.append(
                Diagnostic(
                    path,
                    block.line,
                    block.column,
                    Severity.WARNING,
                    "MD001",
                    f"code fence opened at line {block.line} is never closed",
                    hint="add the closing ``` line after the code",
                )
            )
        if info.language == "image-sizes":
            table, problems, used = image_sizes_block(self.options.measurements, path, block)
            return RenderedCode(table, (*found, *problems), inputs=used)
        footer = ""
        accepted = False
        marks: tuple[tuple[int, int], ...] = ()
        escape = "\\"
        anchor = ""
        marked: tuple[tuple[int, str], ...] = ()
        inputs: Inputs = ()
        shown, source, badge, missing = block, path, "", False
        if info.include:
            included = include_block(
                self.options.root or Path("."),
                self.options.max_file_size,
                self.options.measurements,
                path,
                block,
                info,
            )
            found.extend(included.diagnostics)
            if block.code.strip():
                message = "a block with include= shows the file; the lines inside it are ignored"
                found.append(
                    Diagnostic(path, block.line, block.column, Severity.WARNING, "MD002", message)
                )
            shown, info, inputs = included.block, included.info, included.inputs
            source, badge, missing = included.path or path, included.badge, not included.path
        names = plan.names if plan is not None and not info.include else frozenset()
        placeholders = self._placeholders_for(names, shown.code)
        if is_dockerfile(info.language):
            guess = wrong_language(shown.code) if info.check else None
            if guess is not None:
                found.append(
                    Diagnostic(
                        path,
                        block.line,
                        block.column,
                        Severity.WARNING,
                        "MD006",
                        f"this '{info.language}' block looks like {guess.looks_like}, "
                        f"not a Dockerfile: label it ```{guess.label}",
                        hint=f"with ```{guess.label} it is highlighted as what it is "
                        "and not checked as a Dockerfile",
                    )
                )
                info = replace(info, language=guess.label)
            elif self._checked(info) and not missing:
                planned = None if info.include or plan is None else plan.checked.get(block.line)
                checked = planned or self._check_alone(
                    source, shown, info, placeholders, block_anchor(block)
                )
                found.extend(checked.diagnostics)
                footer, accepted, marks = checked.note, checked.accepted, checked.placeholders
                escape = checked.escape
                anchor = block_anchor(block) if checked.marked else ""
                marked = checked.marked
            else:
                marks = placeholders.find(shown.code)
        elif not info.language and looks_like_dockerfile(shown.code):
            found.append(
                Diagnostic(
                    path,
                    block.line,
                    block.column,
                    Severity.INFO,
                    "MD007",
                    "this unlabelled code block looks like a Dockerfile: label it ```dockerfile",
                    hint="it is highlighted as a Dockerfile; it is checked once labelled "
                    "```dockerfile",
                )
            )
            info = replace(info, language="dockerfile")
            marks = placeholders.find(shown.code)
        html = code_block_html(shown.code, info, footer + badge, marks, escape, anchor, marked)
        return RenderedCode(html, tuple(found), accepted and not info.include, inputs)

    def _check_alone(
        self,
        path: str,
        block: CodeBlock,
        info: FenceInfo,
        placeholders: Placeholders,
        anchor: str,
    ) -> CheckedBlock:
        (checked,) = check_blocks(
            path,
            [(block, info)],
            hints=self.options.dockerfile_hints,
            note=self.options.dockerfile_note,
            placeholders=placeholders,
            anchor=anchor,
        )
        return checked
