from growtui.cli import main

raise SystemExit(main())
