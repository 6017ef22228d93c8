"""commission: a terminal assistant and tool plugin for English NHS and council commissioning officers."""

__version__ = "0.1.0"
