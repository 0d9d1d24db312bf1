//! The store's two engines behind one small interface: an embedded SQLite file (the default) or a
//! program's PostgreSQL server.
//!
//! The store's SQL is written once, in the dialect both engines share (`?N` parameters,
//! `ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING id`, `CASE`, `COALESCE`); on PostgreSQL the
//! parameters are renumbered `$N` before a statement is prepared. Where the engines differ
//! (schema inspection, migrations, locking) the store asks [`Db::engine`] and says both.
//!
//! Values cross the interface as a small dynamic type: a parameter adapts to the type the
//! server infers for it (an integer sent to a `BOOLEAN` or `DOUBLE PRECISION` parameter, a
//! boolean to a `BIGINT` one), and a row is read into owned [`Value`]s whatever the column's type,
//! so the same Rust reads both engines.
//!
//! A transaction is opened and closed on the same handle ([`Db::begin`], [`Db::commit`],
//! [`Db::rollback`]): on SQLite `BEGIN IMMEDIATE`, on PostgreSQL `BEGIN` followed by a
//! transaction-level advisory lock, so writers from many seats queue one behind the other
//! exactly as two processes do on one SQLite file (the audit chain stays one chain).

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

use crate::store::{StoreError, StoreResult};

/// The advisory-lock key every PostgreSQL write transaction takes ("EHRS" in ASCII).
pub(crate) const WRITE_LOCK_KEY: i64 = 0x4548_5253;

/// Which engine a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// An embedded SQLite file (or memory).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Engine {
    /// `SQLite` or `PostgreSQL`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// A parameter of a statement, borrowed from the caller.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(&'a str),
    Blob(&'a [u8]),
}

/// Anything that can be a parameter.
pub(crate) trait ToParam {
    fn to_param(&self) -> Param<'_>;
}

impl ToParam for i64 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(*self)
    }
}
impl ToParam for i32 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for u32 {
    fn to_param(&self) -> Param<'_> {
        Param::Int(i64::from(*self))
    }
}
impl ToParam for f64 {
    fn to_param(&self) -> Param<'_> {
        Param::Real(*self)
    }
}
impl ToParam for bool {
    fn to_param(&self) -> Param<'_> {
        Param::Bool(*self)
    }
}
impl ToParam for str {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for String {
    fn to_param(&self) -> Param<'_> {
        Param::Text(self)
    }
}
impl ToParam for [u8] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl ToParam for Vec<u8> {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<const N: usize> ToParam for [u8; N] {
    fn to_param(&self) -> Param<'_> {
        Param::Blob(self)
    }
}
impl<T: ToParam + ?Sized> ToParam for &T {
    fn to_param(&self) -> Param<'_> {
        (**self).to_param()
    }
}
impl<T: ToParam> ToParam for Option<T> {
    fn to_param(&self) -> Param<'_> {
        self.as_ref().map_or(Param::Null, ToParam::to_param)
    }
}

/// The parameters of a statement: `params![a, b]`.
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::ToParam] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::ToParam),+] as &[&dyn $crate::store::db::ToParam] };
}
pub(crate) use params;

/// A value read from a row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
}

impl Value {
    fn kind(&self) -> &'static str {
        match self {
            Self::Null => "NULL",
            Self::Int(_) => "an integer",
            Self::Real(_) => "a real number",
            Self::Bool(_) => "a boolean",
            Self::Text(_) => "text",
            Self::Blob(_) => "a blob",
        }
    }
}

/// A Rust type a column can be read as.
pub(crate) trait FromValue: Sized {
    /// What the Rust side wanted, in words.
    const WANTED: &'static str;
    fn from_value(value: Value) -> Option<Self>;
}

impl FromValue for i64 {
    const WANTED: &'static str = "an integer";
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Int(i) => Some(i),
            Value::Bool(b) => Some(i64::from(b)),
            Value::Null | Value::Real(_) | Value::Text(_) | Value::Blob(_) => None,
        }
    }
}
impl FromValue for u32 {
    const WANTED: &'static str = "an integer from 0 to 4294967295";
    fn from_value(value: Value) -> Option<Self> {
        i64::from_value(value).and_then(|i| u32::try_from(i).ok())
    }
}
impl FromValue for usize {
    const WANTED: &'static str = "a count";
    fn from_value(value: Value) -> Option<Self> {
        i64::from_value(value).and_then(|i| usize::try_from(i).ok())
    }
}
impl FromValue for f64 {
    const WANTED: &'static str = "a number";
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Real(f) => Some(f),
            #[allow(clippy::cast_precision_loss)]
            Value::Int(i) => Some(i as f64),
            Value::Null | Value::Bool(_) | Value::Text(_) | Value::Blob(_) => None,
        }
    }
}
impl FromValue for bool {
    const WANTED: &'static str = "a boolean";
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Bool(b) => Some(b),
            Value::Int(i) => Some(i != 0),
            Value::Null | Value::Real(_) | Value::Text(_) | Value::Blob(_) => None,
        }
    }
}
impl FromValue for String {
    const WANTED: &'static str = "text";
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Text(s) => Some(s),
            Value::Null | Value::Int(_) | Value::Real(_) | Value::Bool(_) | Value::Blob(_) => None,
        }
    }
}
impl FromValue for Vec<u8> {
    const WANTED: &'static str = "a blob";
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Blob(b) => Some(b),
            Value::Null | Value::Int(_) | Value::Real(_) | Value::Bool(_) | Value::Text(_) => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    const WANTED: &'static str = T::WANTED;
    fn from_value(value: Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            value @ (Value::Int(_)
            | Value::Real(_)
            | Value::Bool(_)
            | Value::Text(_)
            | Value::Blob(_)) => T::from_value(value).map(Some),
        }
    }
}

/// One row of a result, read into owned values.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    values: Vec<Value>,
}

impl Row {
    /// Column `index` as a `T`.
    ///
    /// # Errors
    /// [`StoreError::Column`] when the column is missing or holds another type.
    pub(crate) fn get<T: FromValue>(&self, index: usize) -> StoreResult<T> {
        let value = self.values.get(index).cloned().ok_or(StoreError::Column {
            index,
            detail: format!("the row has {} columns", self.values.len()),
        })?;
        let found = value.kind();
        T::from_value(value).ok_or(StoreError::Column {
            index,
            detail: format!("expected {}, found {found}", T::WANTED),
        })
    }
}

/// `.optional()` on a one-row query: no row is `None`.
pub(crate) trait OptionalExtension<T> {
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalExtension<T> for StoreResult<T> {
    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(StoreError::NoRow) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// An open connection to either engine.
pub(crate) enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<RefCell<PgConn>>),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Sqlite(_) => f.write_str("Db::Sqlite"),
            Self::Postgres(_) => f.write_str("Db::Postgres"),
        }
    }
}

/// A PostgreSQL client with its prepared statements.
pub(crate) struct PgConn {
    pub(crate) client: postgres::Client,
    statements: HashMap<String, postgres::Statement>,
    /// The URL it was opened with (password included, never shown), to reconnect.
    pub(crate) url: String,
}

impl PgConn {
    pub(crate) fn new(client: postgres::Client, url: &str) -> Self {
        Self {
            client,
            statements: HashMap::new(),
            url: url.to_string(),
        }
    }

    /// Replaces a lost connection with a new one.
    pub(crate) fn replace(&mut self, client: postgres::Client) {
        self.client = client;
        self.statements.clear();
    }

    fn statement(&mut self, sql: &str) -> StoreResult<postgres::Statement> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&renumber(sql))?;
        // A bounded cache: the store's statements are a fixed set, but formatted SQL is not.
        if self.statements.len() >= 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }
}

/// `?N` → `$N` outside quoted text and identifiers.
fn renumber(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    for c in sql.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '"' => quote = Some(c),
            None if c == '?' => {
                out.push('$');
                continue;
            }
            None => {}
        }
        out.push(c);
    }
    out
}

fn sqlite_params<'p>(params: &'p [&'p dyn ToParam]) -> Vec<Param<'p>> {
    params.iter().map(|p| p.to_param()).collect()
}

fn sqlite_row(row: &rusqlite::Row<'_>, columns: usize) -> rusqlite::Result<Row> {
    use rusqlite::types::ValueRef;
    let mut values = Vec::with_capacity(columns);
    for index in 0..columns {
        values.push(match row.get_ref(index)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Real(f) => Value::Real(f),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        });
    }
    Ok(Row { values })
}

fn pg_row(row: &postgres::Row) -> StoreResult<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (index, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::BOOL {
            row.try_get::<_, Option<bool>>(index)?
                .map_or(Value::Null, Value::Bool)
        } else if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(index)?
                .map_or(Value::Null, Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(index)?
                .map_or(Value::Null, |i| Value::Int(i64::from(i)))
        } else if *ty == Type::INT2 {
            row.try_get::<_, Option<i16>>(index)?
                .map_or(Value::Null, |i| Value::Int(i64::from(i)))
        } else if *ty == Type::OID {
            row.try_get::<_, Option<u32>>(index)?
                .map_or(Value::Null, |i| Value::Int(i64::from(i)))
        } else if *ty == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(index)?
                .map_or(Value::Null, Value::Real)
        } else if *ty == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(index)?
                .map_or(Value::Null, |f| Value::Real(f64::from(f)))
        } else if *ty == Type::NUMERIC {
            row.try_get::<_, Option<Numeric>>(index)?
                .map_or(Value::Null, |n| Value::Real(n.0))
        } else if *ty == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(index)?
                .map_or(Value::Null, Value::Blob)
        } else if *ty == Type::VOID {
            Value::Null
        } else {
            row.try_get::<_, Option<String>>(index)
                .map_err(|_| StoreError::Column {
                    index,
                    detail: format!("the server's type {ty} is not one the store reads"),
                })?
                .map_or(Value::Null, Value::Text)
        };
        values.push(value);
    }
    Ok(Row { values })
}

/// A `NUMERIC` read as the nearest `f64` (sums and averages of integer columns).
struct Numeric(f64);

impl<'a> FromSql<'a> for Numeric {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn StdError + Sync + Send>> {
        let word = |i: usize| -> Result<i16, Box<dyn StdError + Sync + Send>> {
            raw.get(i * 2..i * 2 + 2)
                .map(|b| i16::from_be_bytes([b[0], b[1]]))
                .ok_or_else(|| "a truncated NUMERIC".into())
        };
        let digits = usize::try_from(word(0)?).map_err(|_| "a NUMERIC with negative digits")?;
        let weight = i32::from(word(1)?);
        let sign = word(2)?.cast_unsigned();
        if sign == 0xC000 {
            return Ok(Self(f64::NAN));
        }
        let mut value = 0.0_f64;
        for i in 0..digits {
            let exponent = weight - i32::try_from(i).map_err(|_| "a NUMERIC too long")?;
            value += f64::from(word(4 + i)?) * 10_000_f64.powi(exponent);
        }
        Ok(Self(if sign == 0x4000 { -value } else { value }))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::NUMERIC
    }
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        let int_as = |i: i64, out: &mut postgres::types::private::BytesMut| {
            if *ty == Type::INT8 {
                i.to_sql(ty, out)
            } else if *ty == Type::INT4 {
                i32::try_from(i)?.to_sql(ty, out)
            } else if *ty == Type::INT2 {
                i16::try_from(i)?.to_sql(ty, out)
            } else if *ty == Type::BOOL {
                (i != 0).to_sql(ty, out)
            } else if *ty == Type::FLOAT8 {
                #[allow(clippy::cast_precision_loss)]
                (i as f64).to_sql(ty, out)
            } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
                i.to_string().to_sql(ty, out)
            } else {
                Err(format!("an integer cannot be sent as {ty}").into())
            }
        };
        match *self {
            Self::Null => Ok(IsNull::Yes),
            Self::Int(i) => int_as(i, out),
            Self::Bool(b) => {
                if *ty == Type::BOOL {
                    b.to_sql(ty, out)
                } else {
                    int_as(i64::from(b), out)
                }
            }
            Self::Real(f) => {
                if *ty == Type::FLOAT8 {
                    f.to_sql(ty, out)
                } else if *ty == Type::FLOAT4 {
                    #[allow(clippy::cast_possible_truncation)]
                    (f as f32).to_sql(ty, out)
                } else {
                    Err(format!("a real number cannot be sent as {ty}").into())
                }
            }
            Self::Text(s) => s.to_sql(ty, out),
            Self::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Self::Null => ValueRef::Null,
            Self::Int(i) => ValueRef::Integer(i),
            Self::Real(f) => ValueRef::Real(f),
            Self::Bool(b) => ValueRef::Integer(i64::from(b)),
            Self::Text(s) => ValueRef::Text(s.as_bytes()),
            Self::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

// `rusqlite::Error` is a foreign `#[non_exhaustive]` enum: only "no row" has a meaning of its own.
#[allow(clippy::wildcard_enum_match_arm)]
fn sqlite_error(err: rusqlite::Error) -> StoreError {
    match err {
        rusqlite::Error::QueryReturnedNoRows => StoreError::NoRow,
        other => StoreError::Sqlite(other),
    }
}

impl Db {
    /// Which engine this is.
    pub(crate) fn engine(&self) -> Engine {
        match self {
            Self::Sqlite(_) => Engine::Sqlite,
            Self::Postgres(_) => Engine::Postgres,
        }
    }

    /// The SQLite connection, when this is one.
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Self::Sqlite(conn) => Some(conn),
            Self::Postgres(_) => None,
        }
    }

    /// Runs one statement and returns the number of rows it changed.
    pub(crate) fn execute(&self, sql: &str, params: &[&dyn ToParam]) -> StoreResult<u64> {
        match self {
            Self::Sqlite(conn) => {
                let params = sqlite_params(params);
                let changed = conn
                    .prepare_cached(sql)
                    .and_then(|mut stmt| stmt.execute(rusqlite::params_from_iter(params.iter())))
                    .map_err(sqlite_error)?;
                Ok(changed as u64)
            }
            Self::Postgres(pg) => {
                let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let mut pg = pg.borrow_mut();
                let statement = pg.statement(sql)?;
                Ok(pg.client.execute(&statement, &refs)?)
            }
        }
    }

    /// Runs several statements without parameters (schema scripts, transaction control).
    pub(crate) fn batch(&self, sql: &str) -> StoreResult<()> {
        match self {
            Self::Sqlite(conn) => conn.execute_batch(sql).map_err(sqlite_error),
            Self::Postgres(pg) => Ok(pg.borrow_mut().client.batch_execute(sql)?),
        }
    }

    /// Every row of a query, each turned into a `T` by `f`.
    pub(crate) fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        mut f: impl FnMut(&Row) -> StoreResult<T>,
    ) -> StoreResult<Vec<T>> {
        let rows = self.rows(sql, params)?;
        rows.iter().map(&mut f).collect()
    }

    /// The first row of a query turned into a `T`; [`StoreError::NoRow`] when there is none
    /// (`.optional()` turns that into `None`).
    pub(crate) fn query_row<T>(
        &self,
        sql: &str,
        params: &[&dyn ToParam],
        f: impl FnOnce(&Row) -> StoreResult<T>,
    ) -> StoreResult<T> {
        match self {
            Self::Sqlite(conn) => {
                let params = sqlite_params(params);
                let mut stmt = conn.prepare_cached(sql).map_err(sqlite_error)?;
                let columns = stmt.column_count();
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(params.iter()))
                    .map_err(sqlite_error)?;
                let row = rows
                    .next()
                    .map_err(sqlite_error)?
                    .ok_or(StoreError::NoRow)?;
                let row = sqlite_row(row, columns).map_err(sqlite_error)?;
                drop(rows);
                f(&row)
            }
            Self::Postgres(_) => {
                let rows = self.rows(sql, params)?;
                f(rows.first().ok_or(StoreError::NoRow)?)
            }
        }
    }

    fn rows(&self, sql: &str, params: &[&dyn ToParam]) -> StoreResult<Vec<Row>> {
        match self {
            Self::Sqlite(conn) => {
                let params = sqlite_params(params);
                let mut stmt = conn.prepare_cached(sql).map_err(sqlite_error)?;
                let columns = stmt.column_count();
                let mut rows = stmt
                    .query(rusqlite::params_from_iter(params.iter()))
                    .map_err(sqlite_error)?;
                let mut out = Vec::new();
                while let Some(row) = rows.next().map_err(sqlite_error)? {
                    out.push(sqlite_row(row, columns).map_err(sqlite_error)?);
                }
                Ok(out)
            }
            Self::Postgres(pg) => {
                let values: Vec<Param<'_>> = params.iter().map(|p| p.to_param()).collect();
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let mut pg = pg.borrow_mut();
                let statement = pg.statement(sql)?;
                let rows = pg.client.query(&statement, &refs)?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// Opens a write transaction: `BEGIN IMMEDIATE` on SQLite; on PostgreSQL `BEGIN` and the
    /// store's advisory lock, so writers queue instead of interleaving.
    pub(crate) fn begin(&self) -> StoreResult<()> {
        match self {
            Self::Sqlite(_) => self.batch("BEGIN IMMEDIATE"),
            Self::Postgres(_) => {
                self.batch("BEGIN")?;
                self.query_row(
                    "SELECT pg_advisory_xact_lock(?1)",
                    params![WRITE_LOCK_KEY],
                    |_| Ok(()),
                )
            }
        }
    }

    /// Commits the open transaction.
    pub(crate) fn commit(&self) -> StoreResult<()> {
        self.batch("COMMIT")
    }

    /// Rolls back the open transaction, if any (never fails the caller: the error it reports
    /// is the one that made it roll back).
    pub(crate) fn rollback(&self) {
        let _ignored = self.batch("ROLLBACK");
    }

    /// Whether this connection may not write (a read-only file or a read-only server session).
    pub(crate) fn is_read_only(&self) -> StoreResult<bool> {
        match self {
            Self::Sqlite(conn) => Ok(conn.is_readonly(rusqlite::MAIN_DB)?),
            Self::Postgres(_) => {
                let value: String =
                    self.query_row("SHOW transaction_read_only", params![], |r| r.get(0))?;
                Ok(value == "on")
            }
        }
    }

    /// Forgets prepared statements (after the schema changed).
    pub(crate) fn forget_statements(&self) {
        match self {
            Self::Sqlite(conn) => conn.flush_prepared_statement_cache(),
            Self::Postgres(pg) => pg.borrow_mut().statements.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_renumbered_outside_quotes() {
        assert_eq!(
            renumber("SELECT '?1', \"a?\" FROM t WHERE x = ?1 AND y = ?12"),
            "SELECT '?1', \"a?\" FROM t WHERE x = $1 AND y = $12"
        );
    }

    #[test]
    fn sqlite_reads_and_writes_through_the_interface() {
        let db = Db::Sqlite(rusqlite::Connection::open_in_memory().unwrap());
        db.batch("CREATE TABLE t (id INTEGER PRIMARY KEY, b INTEGER, r REAL, s TEXT, x BLOB)")
            .unwrap();
        let blob = vec![1_u8, 2];
        let id: i64 = db
            .query_row(
                "INSERT INTO t (b, r, s, x) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                params![true, 2.5, "x", blob],
                |r| r.get(0),
            )
            .unwrap();
        let (b, r, s, x, none): (bool, f64, String, Vec<u8>, Option<String>) = db
            .query_row(
                "SELECT b, r, s, x, NULL FROM t WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!((b, r, s.as_str(), x, none), (true, 2.5, "x", blob, None));
        let missing = db
            .query_row("SELECT s FROM t WHERE id = 99", params![], |r| {
                r.get::<String>(0)
            })
            .optional()
            .unwrap();
        assert_eq!(missing, None);
        let err = db
            .query_row("SELECT s FROM t", params![], |r| r.get::<i64>(0))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the database returned column 0 in a form the store does not expect (expected an integer, found text)"
        );
    }

    #[test]
    fn a_numeric_is_read_as_the_nearest_number() {
        // 12345.678 = [1, 2345, 6780] base 10000, weight 1, positive, dscale 3.
        let raw: Vec<u8> = [3_i16, 1, 0, 3, 1, 2345, 6780]
            .iter()
            .flat_map(|w| w.to_be_bytes())
            .collect();
        let n = Numeric::from_sql(&Type::NUMERIC, &raw).unwrap();
        assert!((n.0 - 12_345.678).abs() < 1e-9);
        assert!(Numeric::from_sql(&Type::NUMERIC, &raw[..5]).is_err());
    }
}
