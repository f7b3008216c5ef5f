"""Write forms over the main screen: each builds one domain action and sends it through
``growtui.ui.write_flow.WriteFlow`` (confirmation, dry run, journaled submit, outcome)."""
