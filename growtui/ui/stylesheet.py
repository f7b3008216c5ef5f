"""The app's stylesheet: Textual's, without parsing unchanged CSS again.

Before the first frame Textual sets the theme's CSS variables a second time (the same values),
which throws away every parsed rule, and re-parses all CSS in a fresh stylesheet whose parsed
rules it then drops as well: growtui's styles and every widget's default CSS were parsed three
times (about 12 ms each here). Parsed rules are kept while the variables stay the same; a change
of theme (other variables) parses everything again, as Textual does.
"""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet


class KeptStylesheet(Stylesheet):
    def set_variables(self, variables: dict[str, str]) -> None:
        if variables != self._variables:
            super().set_variables(variables)

    def reparse(self) -> None:
        # Sources whose text is unchanged come from the parse cache (set_variables clears it
        # when the variables change); on an error self keeps its rules, as Textual's reparse does.
        self.parse()
