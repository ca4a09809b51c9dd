from ksctl.cli import main

main()
