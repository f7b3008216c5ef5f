"""Opening a license with writes of unknown fate says so, and where to settle them."""

from __future__ import annotations

from tests.ui.conftest import make_app, notices, open_main, settle


async def test_opening_a_license_with_unresolved_writes_warns():
    app = make_app()
    said = notices(app)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await open_main(pilot)
        assert not any("not confirmed upstream" in m for m in said)
        app.store.journal.record_raw(main.license_number, "AddNote", {"note": "x"}, "Add note to 1 package")
        app.store.journal.record_raw("SOME-OTHER-LICENSE", "AddNote", {"note": "y"}, "Add note to 1 package")
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [m for m in said if "not confirmed upstream" in m] == [
            "1 earlier write(s) not confirmed upstream. Press w to check them in the Outbox."
        ]
