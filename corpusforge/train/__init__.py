"""The bundled PyTorch pretraining loop (`corpusforge train`, `corpusforge generate`; docs/train.md).

config.py (TrainConfig, presets/) -> data.py (pack -> batches) -> model.py (the transformer) ->
loop.py (build, step, evaluate, checkpoint, resume) with environment.py (device, torchrun, precision),
checkpoint.py, metrics.py (JSONL, plot) and generate.py (sampling). Nothing here is imported by
`import corpusforge`, so the pipelines never need torch.
"""
