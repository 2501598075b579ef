from tongban.cli import main

main()
