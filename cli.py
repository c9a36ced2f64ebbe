"""Run the persona CLI from a checkout: `python cli.py --help` (installed: `persona`)."""
from persona_agent.cli import main

if __name__ == "__main__":
    main()
