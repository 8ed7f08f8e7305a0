from huggingface_hub import hf_hub_download, snapshot_download

train = hf_hub_download(repo_id="tatsu-lab/alpaca", filename="data/train.parquet", repo_type="dataset")
space = snapshot_download(repo_id="gradio/hello_world", repo_type="space")
