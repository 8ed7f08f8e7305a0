from unittest import mock

from transformers import AutoModel


def test_forward():
    model = AutoModel.from_pretrained("hf-internal-testing/tiny-random-gpt2")
    assert model is not None


def test_client():
    client = mock.Mock()
    client.chat.completions.create(model="fake-model", messages=[])
