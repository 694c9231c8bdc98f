#pragma once
// The dialog a desktop start shows instead of exiting with a log line: what
// went wrong, what it means, the system's own words, and what can be done
// about it (another port, another database, the log, try again, quit).
#include "ui/startup_failure.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QSpinBox;

namespace faultline {

class StartupFailureDialog : public QDialog {
    Q_OBJECT
public:
    enum class Choice { Quit, UseAnotherPort, OpenAnotherDatabase, Retry };

    // `logFile` empty or missing: no "Open Log" button. `suggestedPort` prefills the port field.
    StartupFailureDialog(StartupFailure failure, QString logFile, quint16 suggestedPort, QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    quint16 port() const;
    QString databasePath() const { return m_databasePath; }

    // For tests and screenshots.
    QLabel *headingLabel() const { return m_heading; }
    QLabel *explanationLabel() const { return m_explanation; }
    QLabel *detailLabel() const { return m_detail; }
    QPushButton *portButton() const { return m_usePort; }
    QPushButton *databaseButton() const { return m_openDatabase; }
    QPushButton *logButton() const { return m_openLog; }
    QPushButton *retryButton() const { return m_retry; }
    // What "Open Another Database…" does after asking for a file; tests call it directly.
    void chooseDatabase(const QString &path);

private:
    void finish(Choice choice);

    StartupFailure m_failure;
    QString m_logFile;
    Choice m_choice = Choice::Quit;
    QString m_databasePath;
    QLabel *m_heading;
    QLabel *m_explanation;
    QLabel *m_detail;
    QSpinBox *m_port = nullptr;
    QPushButton *m_usePort = nullptr;
    QPushButton *m_openDatabase = nullptr;
    QPushButton *m_openLog = nullptr;
    QPushButton *m_retry = nullptr;
};

} // namespace faultline
