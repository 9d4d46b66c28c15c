from recallkit.cli import main

main()
