import mlflow
from transformers import Trainer, TrainingArguments


def train(model, dataset):
    trainer = Trainer(model=model, args=TrainingArguments(output_dir="out"), train_dataset=dataset)
    trainer.train()
    mlflow.pytorch.log_model(model, artifact_path="model")
    return trainer
