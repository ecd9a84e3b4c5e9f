from migsmith.entry import main

main()
