"""Flask extensions, created unbound here and bound to the app in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so migrations can alter them on PostgreSQL and SQLite alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Database(SQLAlchemy):
    def paginate(self, select, *, page=None, per_page=None, max_per_page=None, error_out=True, count=True):
        """Flask-SQLAlchemy's, with ?page= bounded (a number too large for the database is a 400, not a 500),
        and the last page counting itself: what came before it and what it holds, without a count query."""
        from caseapp.bounds import query_int

        if page is None:
            page = query_int("page", 1)
        pagination = super().paginate(
            select, page=page, per_page=per_page, max_per_page=max_per_page, error_out=error_out, count=False
        )
        if count:
            shown = len(pagination.items)
            if 0 < shown < pagination.per_page or shown == 0 and pagination.page == 1:
                pagination.total = (pagination.page - 1) * pagination.per_page + shown
            else:
                pagination.total = pagination._query_count()
        return pagination


# A request is one unit of work that commits once (its audit events with it) and then renders:
# expiring every object at that commit would reload each row of a list one by one while rendering.
db = Database(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
