"""Judging the matching engine on labelled needs: each need with the entries a person who knows
the field would propose for it. Precision at k is the share of the first k matches that are
among them (out of k, or of how many there are when fewer); the reciprocal rank is one over the
position of the first of them (0 when none is in the first RANKS_LOOKED_AT)."""

import json
from dataclasses import dataclass
from pathlib import Path

from mercuryhub.exchange.matching import sources, top_matches
from mercuryhub.exchange.profiles import profile_from_data
from mercuryhub.lib.errors import InvalidInputError

RANKS_LOOKED_AT = 20


@dataclass(frozen=True)
class CaseResult:
    title: str
    precision: float
    reciprocal_rank: float
    found: list[str]  # the first k matches, as type:external_id (or type:id)


@dataclass(frozen=True)
class Evaluation:
    k: int
    cases: list[CaseResult]

    @property
    def precision_at_k(self) -> float:
        return sum(case.precision for case in self.cases) / len(self.cases)

    @property
    def mean_reciprocal_rank(self) -> float:
        return sum(case.reciprocal_rank for case in self.cases) / len(self.cases)


def read_cases(path: Path) -> list[dict]:
    try:
        cases = json.loads(path.read_text(encoding="utf-8"))["needs"]
    except (OSError, ValueError, KeyError) as error:
        raise InvalidInputError(
            {"file": f"{path}: not a file of labelled needs ({error})"}
        ) from None
    if not cases:
        raise InvalidInputError({"file": f"{path}: no needs in it"})
    return cases


def evaluate(cases: list[dict], *, k: int = 5) -> Evaluation:
    """Match every labelled need and measure; InvalidInputError names an expected entry that
    the database does not hold (the starter data are not loaded, or the label is wrong)."""
    keys = _keys()
    results = []
    for number, case in enumerate(cases, start=1):
        unknown = [label for label in case["relevant"] if label not in keys]
        if unknown:
            raise InvalidInputError(
                {f"needs[{number}]": f"No published entry {', '.join(unknown)}"}
            )
        relevant = {keys[label] for label in case["relevant"]}
        labels = {value: label for label, value in keys.items()}
        matches = top_matches(profile_from_data(case["need"]), limit=max(k, RANKS_LOOKED_AT))
        ranked = [(match.type, match.id) for match in matches]
        first = next((i for i, key in enumerate(ranked, start=1) if key in relevant), None)
        results.append(
            CaseResult(
                title=case["need"].get("title", f"need {number}"),
                precision=sum(key in relevant for key in ranked[:k]) / min(k, len(relevant)),
                reciprocal_rank=1 / first if first else 0.0,
                found=[labels.get(key, f"{key[0]}:{key[1]}") for key in ranked[:k]],
            )
        )
    return Evaluation(k, results)


def _keys() -> dict[str, tuple[str, int]]:
    """ "type:external_id" (or "organization:slug") -> (type, id) of every candidate entity."""
    keys = {}
    for source in sources():
        name = "external_id" if hasattr(source.model, "external_id") else "slug"
        for pk, identifier in source.candidates().values_list("pk", name):
            if identifier:
                keys[f"{source.kind}:{identifier}"] = (source.kind, pk)
    return keys
