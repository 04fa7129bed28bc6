"""The OpenAPI 3.1 document of the API, served at /api/v1/openapi.json. Written by hand so it
says exactly what the endpoints promise; tests check the responses against its schemas."""

NUMBER_OR_NULL = {"type": ["number", "null"]}
PERCENT = {**NUMBER_OR_NULL, "minimum": 0, "maximum": 100}

BREAKDOWN = {
    "type": "object",
    "required": ["n", "n_excluding_na", "small_n", "counts"],
    "properties": {
        "n": {"type": "integer", "minimum": 0},
        "n_excluding_na": {"type": "integer", "minimum": 0},
        "small_n": {"type": "boolean"},
        "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
    },
}

OPTION = {
    "type": "object",
    "required": [
        "key",
        "label",
        "meaning",
        "count",
        "percent",
        "percent_excluding_na",
        "ci_low",
        "ci_high",
        "ci_low_excluding_na",
        "ci_high_excluding_na",
    ],
    "properties": {
        "key": {"type": "string"},
        "label": {"type": "string"},
        "meaning": {
            "type": "string",
            "enum": ["positive", "negative", "neutral", "not_applicable", "not_known"],
        },
        "count": {"type": "integer", "minimum": 0},
        "percent": {**PERCENT, "description": "count / n x 100, unrounded; null when n is 0"},
        "percent_excluding_na": {
            **PERCENT,
            "description": "count / n_excluding_na x 100; null for not applicable and not "
            "known options and when n_excluding_na is 0",
        },
        "ci_low": {**PERCENT, "description": "Wilson 95% interval of percent"},
        "ci_high": PERCENT,
        "ci_low_excluding_na": {**PERCENT, "description": "Wilson 95% interval"},
        "ci_high_excluding_na": PERCENT,
    },
}

QUESTION = {
    "type": "object",
    "required": [
        "key",
        "text",
        "type",
        "section",
        "n",
        "n_excluding_na",
        "small_n",
        "options",
        "by_agency",
    ],
    "properties": {
        "key": {"type": "string", "description": "Stable across audits and template versions"},
        "text": {"type": "string"},
        "type": {
            "type": "string",
            "enum": [
                "single_choice",
                "multiple_choice",
                "yes_no_na",
                "grade",
                "number",
                "date",
                "text",
            ],
        },
        "section": {"type": "string"},
        "n": {"type": "integer", "minimum": 0, "description": "Returns that answered it"},
        "n_excluding_na": {"type": "integer", "minimum": 0},
        "small_n": {"type": "boolean", "description": "n is between 1 and 9"},
        "options": {"type": "array", "items": {"$ref": "#/components/schemas/Option"}},
        "by_agency": {
            "type": "object",
            "description": "Keyed by agency name",
            "additionalProperties": {"$ref": "#/components/schemas/Breakdown"},
        },
        "by_case": {
            "type": "object",
            "description": "Keyed by the child's pseudonym",
            "additionalProperties": {"$ref": "#/components/schemas/Breakdown"},
        },
        "number_summary": {
            "type": ["object", "null"],
            "properties": {
                "mean": {"type": "number"},
                "min": {"type": "number"},
                "max": {"type": "number"},
            },
        },
    },
}

STATISTICS = {
    "type": "object",
    "required": ["audit", "returns", "questions"],
    "properties": {
        "audit": {"type": "integer"},
        "returns": {"type": "integer", "minimum": 0, "description": "Submitted returns"},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
    },
}

AUDIT_LIST = {
    "type": "object",
    "required": ["audits"],
    "properties": {
        "audits": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "title", "status", "planned_month", "returns"],
                "properties": {
                    "id": {"type": "integer"},
                    "title": {"type": "string"},
                    "status": {"type": "string"},
                    "planned_month": {"type": ["string", "null"], "format": "date"},
                    "returns": {"type": "integer", "minimum": 0},
                },
            },
        }
    },
}

ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _ok(schema: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def openapi_document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "caseaudit API",
            "version": "1",
            "description": "Collated results of multi-agency case audits. Authenticate with a "
            "personal API token (made on the 'API tokens' page) sent as 'Authorization: Bearer "
            "<token>'. A token sees exactly what its owner sees in its partnership; anything "
            "else answers 404.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/audits": {
                "get": {
                    "operationId": "listAudits",
                    "summary": "The audits whose collated results the token may see",
                    "responses": {
                        "200": _ok("AuditList", "The audits"),
                        "401": _error("No valid token"),
                    },
                }
            },
            "/audits/{id}/statistics": {
                "get": {
                    "operationId": "auditStatistics",
                    "summary": "Per-question statistics of an audit's submitted returns",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        },
                        {
                            "name": "by_case",
                            "in": "query",
                            "required": False,
                            "description": "false leaves out each question's by_case",
                            "schema": {"type": "string", "enum": ["true", "false"]},
                        },
                    ],
                    "responses": {
                        "200": _ok("Statistics", "The statistics (docs/statistics.md)"),
                        "400": _error("by_case is neither true nor false"),
                        "401": _error("No valid token"),
                        "404": _error("No such audit, or not one the token may see"),
                    },
                }
            },
            "/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "The OpenAPI document"}},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerToken": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Statistics": STATISTICS,
                "Question": QUESTION,
                "Option": OPTION,
                "Breakdown": BREAKDOWN,
                "AuditList": AUDIT_LIST,
                "Error": ERROR,
            },
        },
    }
