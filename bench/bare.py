"""The baseline: a bare Flask JSON endpoint, served by the same gunicorn settings as caseapp."""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def hello():
    return jsonify(status="ok")
