"""Who Claims What: validate sourced facts about the US–Russia talks on Ukraine
and publish them as an explainer site."""

__version__ = "0.1.0"
