from signposting.cli import main

raise SystemExit(main())
