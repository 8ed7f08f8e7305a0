from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline


def evaluate(model="linear", features=None):
    return {"model": model, "features": features}


search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]})
steps = Pipeline([("clf", LogisticRegression())])
report = evaluate(model="random-forest")
