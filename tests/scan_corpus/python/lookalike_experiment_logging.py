import logging

import wandb

logger = logging.getLogger(__name__)
logger.info("compared against model=%s", "gpt-4o")
run = wandb.init(project="support-bot", config={"model": "llama-3.1-8b", "lr": 2e-5})
