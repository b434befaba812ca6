"""Generate realistic synthetic DOJ research files, with every quirk at a calibrated rate."""

from clearance.synthetic.generator.writer import MANIFEST_NAME, generate

__all__ = ["MANIFEST_NAME", "generate"]
