from migsmith.cli import main

main()
