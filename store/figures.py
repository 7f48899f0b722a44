"""Finding figures and normalising their values. (First version: replaced by the real one.)"""

from __future__ import annotations

from dataclasses import dataclass

from store.extract import FigureFound
from store.sources import Paragraph


@dataclass
class Amount:
    """A value a user typed: 560万美元, $5.6M, 五千亿美元, 17%."""

    value: float
    value_max: float | None
    unit: str | None


def find_figures(paragraphs: list[Paragraph]) -> list[FigureFound]:
    return []


def parse_amount(text: str) -> Amount | None:
    return None
