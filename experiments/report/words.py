"""The report's words in one language (the tables themselves are experiments/report_text.py)."""

from __future__ import annotations

from experiments.report_text import MEASURES, MODES, PACKAGES_EN, PACKAGES_ZH, TEXT


class Text:
    """The report's words in one language: ``tx["key"]``, package and mode names."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.words = TEXT[lang]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def package(self, name: str) -> str:
        """A package's display name (a package of the user's own: its identifier)."""
        if self.lang == "zh":
            return PACKAGES_ZH[name][0] if name in PACKAGES_ZH else name
        return PACKAGES_EN.get(name, name)

    def measure(self, name: str) -> str:
        """A run measure's display name (its column name when the table has none)."""
        return MEASURES[self.lang].get(name, name)

    def mode(self, mode: str, short: bool = True) -> str:
        """A failure mode's name; in English figures, without the Chinese term."""
        name = MODES[self.lang][mode]
        return name.split(" (")[0] if short and self.lang == "en" else name
