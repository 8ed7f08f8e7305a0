"""Scores behind the licence-text bands: each bundled text against itself and its nearest other.

Reads the verbatim texts (not shipped) and prints, per text: the score of the text against its
own fingerprint, the nearest other fingerprint with its Jaccard score and how many shingles
separate them, and the band and region found for edited copies (one clause rewritten, one word
dropped, a paragraph removed, reflowed as one line per paragraph, Markdown marks added). Then
unrelated texts (other licences, a README) and the cost of a hostile input, as a ratio to
identifying Apache-2.0 in the same run.

    python benchmarks/licence_text_scores.py --texts ../shared/reference/texts --texts DIR [--unrelated FILE ...]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from licensecheck import licensetext  # noqa: E402

CLAUSE = (
    "The Licensee shall pay the Licensor a royalty of ten percent of all gross revenue derived from any "
    "use of the Materials, reported quarterly in writing to the Licensor's nominated auditor."
)


def body(path: Path) -> str:
    content = path.read_text("utf-8")
    return content.partition("\n---\n")[2] or content


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(first, last) line indexes of each blank-line-separated paragraph."""
    lines = text.splitlines()
    found, start = [], None
    for index, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            found.append((start, index - 1))
            start = None
    return found


def units(text: str) -> list[tuple[int, int]]:
    """Paragraphs (line spans) of 15 to 120 words and at most a fifth of the text; else lines."""
    lines = text.splitlines()
    total = len(text.split())
    spans = [
        s
        for s in paragraphs(text)
        if 15 <= len(" ".join(lines[s[0] : s[1] + 1]).split()) <= min(120, max(15, total // 5))
    ]
    return spans or [(i, i) for i, line in enumerate(lines) if len(line.split()) >= 5]


def replace_clause(text: str) -> tuple[str, int]:
    """The text with a middle clause rewritten, and the clause's first line (1-based)."""
    lines = text.splitlines()
    spans = units(text)
    first, last = spans[len(spans) // 2]
    return "\n".join([*lines[:first], CLAUSE, *lines[last + 1 :]]), first + 1


def drop_word(text: str) -> str:
    return (
        re.sub(r"\bnot\b", "", text, count=1)
        if re.search(r"\bnot\b", text)
        else text.replace(" the ", " ", 1)
    )


def drop_paragraph(text: str) -> str:
    lines = text.splitlines()
    spans = units(text)
    first, last = spans[len(spans) // 2]
    return "\n".join([*lines[:first], *lines[last + 1 :]])


def reflow(text: str) -> str:
    """Prose rewrapped: each line joined to the one before unless it starts a list item or paragraph."""
    out: list[str] = []
    for line in text.splitlines():
        starts_item = re.match(r"\s*(?:[-*#\u2022]|section\s|\(?[0-9a-z]{1,4}[.)])", line, re.IGNORECASE)
        if out and out[-1].strip() and line.strip() and not starts_item:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def markdown(text: str) -> str:
    return "\n".join(
        f"**{line.strip()}**" if line.isupper() else line.replace(", ", ", _") for line in text.splitlines()
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--texts", type=Path, action="append", required=True)
    parser.add_argument("--unrelated", type=Path, action="append", default=[])
    args = parser.parse_args()
    known = licensetext.fingerprints()
    by_id = {fp.id: fp for fp in known}
    files = {p.stem: p for d in args.texts for p in sorted(d.glob("*.txt")) if p.stem in by_id}
    print(
        f"{'text':42} {'self':>5} {'nearest other':32} {'J':>5} {'diff':>5}  clause  word  para  reflow  md"
    )
    worst_other = 0.0
    for text_id in sorted(files):
        text = body(files[text_id])
        tokens, _ = licensetext.words(text)
        ranked = licensetext.scores(frozenset(licensetext.shingles(tokens)), known)
        own = next(s for s in ranked if s.text_id == text_id)
        # The nearest other text; a licence shipped with its own policy is not "another" text.
        other = next(s for s in ranked if s.text_id != text_id and text_id not in by_id[s.text_id].parts)
        if by_id[other.text_id].license != by_id[text_id].license:
            worst_other = max(worst_other, other.jaccard)
        edited, line = replace_clause(text)
        clause = licensetext.identify(edited)
        region = "/".join(f"{r.first_line}-{r.last_line}" for r in clause.changed[:2])
        marks = []
        for variant in (drop_word(text), drop_paragraph(text), reflow(text), markdown(text)):
            found = licensetext.identify(variant)
            mark = found.band.value[0].upper() + ("" if found.text_id == text_id else "?")
            marks.append(mark)
        print(
            f"{text_id:42} {own.jaccard:5.3f} {other.text_id:32} {other.jaccard:5.3f} {other.added + other.removed:5d}"
            f"  {clause.band.value[0].upper()}{'' if clause.text_id == text_id else '?'} {clause.score:.2f}"
            f" L{line}:{region or '-'}  " + "  ".join(f"{m:4}" for m in marks)
        )
    print("bands: I identified, M modified, U unrecognised; ? = another text chosen")
    print(f"highest Jaccard between texts of different licences: {worst_other:.3f}")
    for path in args.unrelated:
        found = licensetext.identify(path.read_text("utf-8", errors="replace"))
        print(f"unrelated {path.name:30} {found.band.value:13} nearest {found.nearest} J={found.score:.3f}")
    apache = body(files["apache-2.0"]) if "apache-2.0" in files else "word " * 2000
    start = time.process_time()
    for _ in range(5):
        licensetext.identify(apache)
    base = (time.process_time() - start) / 5
    hostile = ("lorem ipsum dolor sit amet " * 2_000_000)[: 50 * 1024 * 1024]
    start = time.process_time()
    found = licensetext.identify(hostile)
    cost = time.process_time() - start
    print(
        f"50 MB text: {found.band.value}, truncated={found.truncated}; CPU {cost / base:.1f}x identifying Apache-2.0"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
