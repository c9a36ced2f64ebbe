"""`python -m persona_agent.cli …`"""

from persona_agent.cli import main

main()
