"""The app's CSS is parsed once at start (Textual parsed it three times before the first frame),
and a change of theme still restyles everything. The real app on the in-process sandbox."""

from __future__ import annotations

import textual.css.stylesheet as textual_stylesheet

from growtui.ui.stylesheet import KeptStylesheet

from .conftest import make_app, open_main


async def test_the_app_css_is_parsed_once_and_a_theme_change_still_applies(monkeypatch):
    parsed: list[str] = []
    parse = textual_stylesheet.parse

    def counting_parse(scope, css, read_from, **kwargs):  # Textual's own parser, counted
        parsed.append(str(read_from[0]))
        return parse(scope, css, read_from, **kwargs)

    monkeypatch.setattr(textual_stylesheet, "parse", counting_parse)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        assert sum(p.endswith("app.tcss") for p in parsed) == 1, parsed
        assert isinstance(app.stylesheet, KeptStylesheet)
        before = main.status.styles.background
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await pilot.pause()
        assert sum(p.endswith("app.tcss") for p in parsed) == 2  # new variables: parsed again
        assert main.status.styles.background != before
