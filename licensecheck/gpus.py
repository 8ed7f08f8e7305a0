"""The GPU table: memory, bandwidth, throughput and on-demand prices of GPUs, looked up by id or alias."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from licensecheck.document import Document
from licensecheck.routes import Provenance


@dataclass(frozen=True)
class GpuPrice:
    """One on-demand price per GPU-hour, with its provider, date and source."""

    provider: str
    offering: str | None
    region: str | None
    usd_per_gpu_hour: float
    gpus_per_instance: int | None
    instance_usd_per_hour: float | None
    provenance: Provenance


@dataclass(frozen=True)
class Gpu:
    """One GPU and its datasheet figures (None when unknown)."""

    id: str
    name: str
    vendor: str
    memory_gb: float | None
    memory_type: str | None
    bandwidth_gb_s: float | None
    bf16_dense_tflops: float | None
    fp8_dense_tflops: float | None
    fp8_supported: bool | None
    aliases: tuple[str, ...]
    prices: tuple[GpuPrice, ...]
    provenance: Provenance
    origin: str

    def cheapest(self) -> GpuPrice | None:
        """The lowest dated on-demand price (undated prices only when no price is dated)."""
        dated = [p for p in self.prices if p.provenance.as_of] or list(self.prices)
        return min(dated, key=lambda p: p.usd_per_gpu_hour, default=None)


@dataclass(frozen=True)
class GpuTable:
    """Every GPU of a run, in file order, with a case-insensitive index over ids and aliases."""

    gpus: tuple[Gpu, ...] = ()
    index: Mapping[str, Gpu] = field(default_factory=lambda: MappingProxyType({}))

    def find(self, ref: str) -> Gpu | None:
        return self.index.get(ref.casefold())

    def nearest(self, ref: str, limit: int = 3) -> list[str]:
        import difflib

        return difflib.get_close_matches(ref.casefold(), [g.id for g in self.gpus], n=limit, cutoff=0.5)


def check_gpus(doc: Document) -> None:
    """Raise the schema errors of a GPU table document, located."""
    doc.check("gpus")


def _provenance(block: Mapping[str, Any]) -> Provenance:
    return Provenance(
        tuple(block["sources"]), block["read"], block.get("as_of"), block["confidence"], block.get("note")
    )


def _gpu(raw: Mapping[str, Any], origin: str) -> Gpu:
    return Gpu(
        id=raw["id"],
        name=raw["name"],
        vendor=raw["vendor"],
        memory_gb=raw.get("memory_gb"),
        memory_type=raw.get("memory_type"),
        bandwidth_gb_s=raw.get("bandwidth_gb_s"),
        bf16_dense_tflops=raw.get("bf16_dense_tflops"),
        fp8_dense_tflops=raw.get("fp8_dense_tflops"),
        fp8_supported=raw.get("fp8_supported"),
        aliases=tuple(raw.get("aliases") or ()),
        prices=tuple(
            GpuPrice(
                provider=p["provider"],
                offering=p.get("offering"),
                region=p.get("region"),
                usd_per_gpu_hour=p["usd_per_gpu_hour"],
                gpus_per_instance=p.get("gpus_per_instance"),
                instance_usd_per_hour=p.get("instance_usd_per_hour"),
                provenance=_provenance(p),
            )
            for p in raw.get("prices") or ()
        ),
        provenance=_provenance(raw),
        origin=origin,
    )


def build_gpu_table(docs: list[Document], validated: set[str] | frozenset[str] = frozenset()) -> GpuTable:
    """A GPU table of `docs` (schema-checked unless named in `validated`); a repeated id or alias is an error."""
    gpus: list[Gpu] = []
    index: dict[str, Gpu] = {}
    for doc in docs:
        if doc.name not in validated:
            check_gpus(doc)
        for i, raw in enumerate(doc.data["gpus"]):
            line = doc.where(("gpus", i))[0]
            gpu = _gpu(raw, f"{doc.name}:{line}")
            names = [(("id",), gpu.id)] + [(("aliases", j), a) for j, a in enumerate(gpu.aliases)]
            for path, name in names:
                other = index.get(name.casefold())
                if other is not None:
                    raise doc.error(
                        ("gpus", i, *path),
                        f"GPU '{name}' is already in the GPU table ({other.origin})",
                        "GPU ids and aliases must be unique",
                    )
                index[name.casefold()] = gpu
            gpus.append(gpu)
    return GpuTable(tuple(gpus), MappingProxyType(index))
