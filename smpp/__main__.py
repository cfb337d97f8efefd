from smpp.cli import main

main()
