"""Settings precedence (CLI > env > file), --help coverage, and remembered UI state."""

from __future__ import annotations

import pytest

from growtui.config import ENV_VARS, LabelSettings, Settings, SettingsError, UiState, config_file, load_settings
from growtui.ui.launch import build_parser, parse_settings


def test_defaults_are_a_training_session():
    settings = parse_settings([], environ={})
    assert settings == Settings()
    assert settings.training


def test_file_then_env_then_cli(tmp_path):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('host = "https://file.example"\nidle-lock-minutes = 3\nkiosk = true\n')
    assert load_settings(environ={}).host == "https://file.example"
    env = {"GROWTUI_HOST": "https://env.example", "GROWTUI_IDLE_LOCK": "7"}
    from_env = parse_settings([], environ=env)
    assert (from_env.host, from_env.idle_lock_minutes, from_env.kiosk) == ("https://env.example", 7.0, True)
    from_cli = parse_settings(["--host", "https://cli.example", "--idle-lock", "1.5"], environ=env)
    assert (from_cli.host, from_cli.idle_lock_minutes) == ("https://cli.example", 1.5)
    assert not from_cli.training


def test_bad_values_name_their_source(tmp_path):
    with pytest.raises(SettingsError, match="GROWTUI_IDLE_LOCK"):
        parse_settings([], environ={"GROWTUI_IDLE_LOCK": "soon"})
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text("colour = 'green'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(environ={})


def test_labels_table_sets_stock_layout_and_printer():
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('kiosk = true\n[labels]\nformat = "pdf"\nprinter = "cups:Zebra_ZD421"\n'
                    'width-in = 2\nheight_in = 1\ndpi = 300\ntemplate = "compact"\n')
    assert load_settings(environ={}).labels == LabelSettings("pdf", "cups:Zebra_ZD421", 2.0, 1.0, 300, "compact")
    assert Settings().labels == LabelSettings("zpl", "file", 4.0, 2.0, 203, "standard")


@pytest.mark.parametrize(("line", "said"), [
    ('printer = "lpt1"', "labels.printer: use tcp://HOST"),
    ('format = "png"', "labels.format: use one of zpl, pdf"),
    ("width_in = 40", "labels.width_in: a label is 0.5 to 12 inches"),
    ("dpi = 201", "labels.dpi: Zebra printers print at"),
    ('colour = "red"', "labels.colour: unknown setting"),
])
def test_bad_label_settings_are_named(line, said):
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text(f"[labels]\n{line}\n")
    with pytest.raises(SettingsError, match=said):
        load_settings(environ={})


def test_the_system_is_chosen_by_backend_name():
    assert parse_settings([], environ={}).system == "t3"
    assert parse_settings(["--system", "t3"], environ={}).system == "t3"
    with pytest.raises(SettingsError, match="unknown system 'nope'.*t3"):
        parse_settings([], environ={"GROWTUI_SYSTEM": "nope"})


def test_help_documents_every_option_and_variable():
    text = build_parser().format_help()
    for option in ("--host", "--kiosk", "--idle-lock", "--stay-signed-in",
                   "--sandbox-packages", "--sandbox-latency-ms", "--version"):
        assert option in text
    for var in ENV_VARS:
        assert var in text
    assert "GROWTUI_SUPERVISOR_PIN" in text and "config.toml" in text


def test_no_secret_is_taken_on_the_command_line(capsys):
    """argv is visible to every user (ps): the supervisor PIN comes from the environment or
    config.toml only."""
    with pytest.raises(SystemExit):
        parse_settings(["--kiosk", "--supervisor-pin", "2468"], environ={})
    assert "unrecognized arguments: --supervisor-pin" in capsys.readouterr().err
    assert "--supervisor-pin" not in build_parser().format_help()


def test_ui_state_remembers_license_per_user_and_columns(tmp_path):
    from growtui.config import AccountKey

    api = "https://api.trackandtrace.tools"
    state = UiState(tmp_path / "s.json")
    state.set_last_license(AccountKey.of(api, "ca.metrc.com", "Alice"), "LIC-1")
    state.set_columns("packages/active", ["label", "quantity"])
    again = UiState(tmp_path / "s.json")
    assert again.last_license(AccountKey.of(api + "/", "CA.metrc.com", "alice")) == "LIC-1"
    assert again.last_license(AccountKey.of(api, "ca.metrc.com", "bob")) is None
    assert again.last_license(AccountKey.of("https://staging.example", "ca.metrc.com", "alice")) is None
    assert again.columns("packages/active") == ["label", "quantity"]
    assert "password" not in (tmp_path / "s.json").read_text().lower()


def test_main_runs_the_app_without_mouse_in_kiosk_mode(monkeypatch):
    from growtui.ui import launch
    from growtui.ui.app import GrowApp

    calls = []

    def fake_run(self, **kwargs):
        calls.append((self.settings, kwargs))
        return 0

    monkeypatch.setattr(GrowApp, "run", fake_run)
    monkeypatch.setenv("GROWTUI_SUPERVISOR_PIN", "1234")
    assert launch.main(["--kiosk", "--idle-lock", "3", "--sandbox-packages", "40"]) == 0
    settings, kwargs = calls[-1]
    assert kwargs == {"mouse": False}
    assert settings.kiosk and settings.idle_lock_minutes == 3 and settings.supervisor_pin == "1234"
    assert settings.training
    assert launch.main([]) == 0 and calls[-1][1] == {"mouse": True}


def test_main_reports_bad_settings_with_exit_code_2(monkeypatch, capsys):
    from growtui.ui import launch

    monkeypatch.setenv("GROWTUI_IDLE_LOCK", "later")
    assert launch.main([]) == 2
    assert "GROWTUI_IDLE_LOCK" in capsys.readouterr().err


def test_session_file_is_0600_holds_no_password_and_expires(tmp_path):
    import stat

    from growtui.config import SessionFile

    api = "https://api.trackandtrace.tools"
    file = SessionFile(api, tmp_path / "state" / "session.json")
    file.save("ca.metrc.com", "grower.ca", "tok.en.jwt", expires_at=2000.0)
    assert stat.S_IMODE(file.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(file.path.parent.stat().st_mode) == 0o700
    assert file.load(now=1000.0) == {
        "api_url": api, "hostname": "ca.metrc.com", "username": "grower.ca", "token": "tok.en.jwt",
        "expires_at": 2000.0,
    }
    # The same file read for another API: not offered (a token only goes back to its issuer).
    assert SessionFile("https://evil.example", file.path).load(now=1000.0) is None
    assert "password" not in file.path.read_text()
    assert file.load(now=2000.0) is None and not file.path.exists()  # expired: forgotten
    file.path.write_text("{not json")
    assert file.load(now=0) is None
