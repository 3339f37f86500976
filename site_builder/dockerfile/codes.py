"""Every diagnostic code the Dockerfile checker can emit: id, default severity, title, fix hint.

`DF…` are build failures (BuildKit's parser, instruction and dispatch errors; `layer` is the
rule's id in the design note's table (a): P = parser, I = instruction, D = dispatch), BuildKit's
build-check names are warnings (errors under `# check=error=true`, except `UndefinedVar`, which
stays info because the base image's environment is unknown), `DH…` are the blog's size and
cache hints (`hadolint` names the matching hadolint rule). The mapping is stable: a code is
never renumbered, new ones are appended. `build-site dockerfile --list-rules` prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..diagnostics.diagnostic import Diagnostic, Severity

if TYPE_CHECKING:
    from .nodes import Span


@dataclass(frozen=True, slots=True)
class Code:
    id: str
    severity: Severity
    title: str
    fix: str
    layer: str = ""  # P01…P09, I01…I26, D01…D08, D (other dispatch errors), io, check, hint
    hadolint: str = ""  # the matching hadolint rule, if any

    @property
    def kind(self) -> str:
        return {"check": "buildkit-check", "hint": "size-hint"}.get(self.layer, "syntax")


# code | layer | title | fix
_SYNTAX = """
DF001|I01|unknown instruction|use one of the 18 Dockerfile instructions
DF002|P01|file with no instructions|add at least a FROM instruction
DF003|P02|line longer than 65535 bytes|split the line with `\\` continuations
DF004|P03|parser directive given twice|keep one `# key=` line at the top
DF005|P04|escape token other than \\ or `|use `# escape=\\` or `# escape=``
DF006|P05|legacy ENV/LABEL without a value|write `ENV key=value`
DF007|P06|word without = in key=value form|give every word a `=`
DF008|P07|non-string element in a JSON array|quote every element
DF009|P08|unterminated heredoc|end the heredoc with a line holding only its delimiter
DF010|P09|invalid check directive|use `# check=skip=Rule,Rule;error=true`
DF011|I02|instruction before the first FROM|start with FROM (only ARG may come before it)
DF012|I03|FROM with two or more than three words|write `FROM image [AS name]`
DF013|I04|invalid stage name|start with a letter; use a-z, 0-9, `-`, `_`, `.`
DF014|I05|missing argument|give the instruction its argument
DF015|I06|instruction without arguments|give the instruction an argument
DF016|I07|ADD/COPY without a destination|add the destination path
DF017|I08|heredoc as ADD/COPY destination|make the last argument a path
DF018|I09|blank variable name|give the variable a name before `=`
DF019|I10|unknown flag|remove the flag or fix its spelling
DF020|I11|flag given twice|give the flag once
DF021|I12|flag without a value|write the flag as `--name=value`
DF022|I13|boolean flag with a non-boolean value|use `--flag`, `--flag=true` or `--flag=false`
DF023|I14|ONBUILD ONBUILD|use a single ONBUILD
DF024|I15|FROM or MAINTAINER as an ONBUILD trigger|ONBUILD cannot run FROM or MAINTAINER
DF025|I16|unknown HEALTHCHECK type|use HEALTHCHECK CMD … or HEALTHCHECK NONE
DF026|I17|HEALTHCHECK NONE with arguments|remove the words after NONE
DF027|I18|HEALTHCHECK CMD without a command|give the command to run
DF028|I19|invalid or too short HEALTHCHECK duration|use a Go duration of at least 1ms, like 30s
DF029|I20|invalid HEALTHCHECK --retries|use a whole number of at least 0
DF030|I21|empty VOLUME path|give a path
DF031|I22|SHELL not in JSON form|write SHELL ["/bin/bash", "-c"]
DF032|I23|invalid RUN --network|use default, none or host
DF033|I24|invalid RUN --security|use sandbox or insecure
DF034|I25|invalid RUN --mount|see the RUN --mount reference for types and keys
DF035|I26|variable in a mount's from=|add `FROM $IMAGE AS alias` and mount from=alias
DF036|D01|FROM expands to an empty name|declare the ARG with a default before the first FROM
DF037|D02|variable in COPY --from|add `FROM $IMAGE AS alias` and use --from=alias
DF038|D03|stages that copy from each other|copy only from earlier stages
DF039|D04|bad quoting or ${…} in an expanded instruction|close the quote or `${`; use :- :+ :? # % /
DF040|D05|${VAR:?message} on an unset variable|define VAR with ARG/ENV before using it
DF041|D06|no stage to build|add a FROM instruction
DF042|D07|RUN --device without the labs frontend|add `# syntax=docker/dockerfile:1-labs`
DF043|D08|COPY --from or mount from a later stage|move the referenced stage above this one
DF044|D|COPY --from a stage index that does not exist|use a stage name or an earlier index
DF045|D|invalid base image reference|use a valid, lowercase image reference
DF046|D|invalid EXPOSE port|write EXPOSE 8080 or 8080/udp
DF047|D|invalid --chmod|use an octal mode such as 0755
DF048|D|URL, git or checksum misuse in ADD/COPY|use ADD for URLs; one URL per --checksum
DF049|D|invalid STOPSIGNAL|use a signal name like SIGTERM or a number
DF050|io|file that cannot be read|check the path and that it is a readable file
DF051|limit|variable expanding past 131,072 characters|build long values in a RUN step, not with ENV
DF052|D|FROM --platform empty or not a platform|use os/arch, like linux/amd64, or $BUILDPLATFORM
"""

# rule | title | fix  (BuildKit's build checks)
_CHECKS = """
StageNameCasing|stage name not lowercase|write the stage name in lowercase
FromAsCasing|`as` cased unlike `FROM`|write `AS` in the case of `FROM`
NoEmptyContinuation|blank line inside a continuation|remove it or put a comment on it
ConsistentInstructionCasing|instruction cased unlike the majority|write all instructions in one case
DuplicateStageName|two stages with one name|rename one stage
ReservedStageName|stage named scratch or context|pick another stage name
JSONArgsRecommended|CMD/ENTRYPOINT in shell form|write CMD ["executable", "arg"]
MaintainerDeprecated|MAINTAINER|use LABEL org.opencontainers.image.authors=…
UndefinedArgInFrom|FROM uses an undeclared ARG|declare it with ARG before the first FROM
WorkdirRelativePath|first WORKDIR is relative|use an absolute WORKDIR
UndefinedVar|variable not defined by ARG or ENV|declare it with ARG or ENV in this stage
MultipleInstructionsDisallowed|CMD/ENTRYPOINT/HEALTHCHECK twice in a stage|keep only the last one
LegacyKeyValueFormat|ENV/LABEL key value|write key=value
RedundantTargetPlatform|--platform=$TARGETPLATFORM|remove --platform
SecretsUsedInArgOrEnv|secret-looking ARG/ENV name|use RUN --mount=type=secret
InvalidDefaultArgInFrom|ARG defaults give an invalid FROM|give the ARG a valid default
FromPlatformFlagConstDisallowed|constant --platform|use $BUILDPLATFORM or name the stage after it
InvalidDefinitionDescription|comment above ARG/stage not naming it|begin it with the name
ExposeProtoCasing|EXPOSE protocol not lowercase|write 80/tcp
ExposeInvalidFormat|EXPOSE with an IP or host port|expose the container port; publish with -p
"""

# code | hadolint | title | fix
_HINTS = """
DH001|DL3009|apt lists left in the image|end the RUN with `&& rm -rf /var/lib/apt/lists/*`
DH002|DL3015|apt-get install without --no-install-recommends|add --no-install-recommends
DH003|DL3019|apk add without --no-cache|use `apk add --no-cache`
DH004|DL3042|pip install without --no-cache-dir|add --no-cache-dir or a cache mount
DH005||npm install where npm ci fits|use `npm ci` (with `--omit=dev` for the runtime image)
DH006|DL3059|consecutive RUN instructions|join them with `&&` into one RUN
DH007|DL3020|ADD of a local file or folder|use COPY
DH008||whole context copied before the dependency install|copy manifests, install, copy the rest
DH009||single-stage image keeps build tools|build in a separate stage and copy the result
DH010|DL3006|untagged base image|pin a tag, e.g. python:3.12-slim
DH011|DL3007|base image :latest|pin a version tag
DH012||invalid JSON array run as a shell command|use double quotes: ["a", "b"]
DH013||parser directive ignored where it stands|move it to the very top of the file
DH014||heredoc in CMD/ENTRYPOINT|use RUN <<EOF or a script file
DH015|DL3021|several sources into a path without a trailing /|end the destination with /
DH016||` # comment` after a value: kept in the value|put the comment on its own line above
DH017||--from= a name close to a stage's: pulled as an image|use the stage's exact name
"""


def _rows(table: str) -> list[list[str]]:
    return [line.split("|") for line in table.strip().splitlines()]


CODES: dict[str, Code] = {}
for _id, _layer, _title, _fix in _rows(_SYNTAX):
    CODES[_id] = Code(_id, Severity.ERROR, _title, _fix, _layer)
for _id, _title, _fix in _rows(_CHECKS):
    _level = Severity.INFO if _id == "UndefinedVar" else Severity.WARNING
    CODES[_id] = Code(_id, _level, _title, _fix, "check")
for _id, _dl, _title, _fix in _rows(_HINTS):
    CODES[_id] = Code(_id, Severity.WARNING, _title, _fix, "hint", _dl)

EXPERIMENTAL_CHECKS = frozenset({"InvalidDefinitionDescription", "CopyIgnoredFile"})


def hadolint_id(code: str) -> str:
    """The hadolint rule a `DH…` hint stands for ("" if none)."""
    entry = CODES.get(code)
    return entry.hadolint if entry else ""


def diag(
    code: str,
    message: str,
    span: Span,
    *,
    severity: Severity | None = None,
    hint: str | None = None,
) -> Diagnostic:
    """A diagnostic for `code` at `span` (path set later), with the table's severity and fix."""
    entry = CODES[code]
    level = severity or entry.severity
    fix = hint if hint is not None else entry.fix
    return Diagnostic(
        "", span.line, span.column, level, code, message, span.end_line, span.end_column, fix
    )
