"""TalentFlow 人才流动共享平台."""

__version__ = "0.1.0"
