"""A deterministic demo district modelled on Jinshan (金山区, region 310116); fictional data."""
