#pragma once
// Where the open project's files are on this machine ("frames under /srv/app/
// are ~/src/shop"), with a guess from the project's recent frames and a
// checkout the user picks, which they confirm; and which editor and git tool
// the frames open in.
#include "model/source_mapping.h"

#include <QDialog>
#include <QFutureWatcher>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace faultline {

class SourceWorkspace;

class SourceRootsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SourceRootsDialog(SourceWorkspace *workspace, QWidget *parent = nullptr);

    // Opens the dialog window-modal over `parent`; it deletes itself when closed.
    static SourceRootsDialog *openFor(SourceWorkspace *workspace, QWidget *parent);

    QList<SourceRoot> roots() const; // as edited, empty rows left out
    void setRoots(const QList<SourceRoot> &roots);
    // Lists the checkout's files (git ls-files, else a bounded walk) and proposes a root, off the GUI thread.
    void guessFrom(const QString &checkout);
    QFuture<std::optional<SourceRootGuess>> guessFuture() const { return m_guess.future(); }
    QString guessText() const;
    void acceptGuess(); // adds the proposed root to the table
    QComboBox *editorCombo() const { return m_editor; }

    // Files of a checkout relative to it: `git ls-files` when it is a repository, else a walk that skips
    // build and dependency folders, at most `limit` files.
    static QStringList checkoutFiles(const QString &checkout, int limit = 200'000);

    void accept() override; // stores roots and editor settings

private:
    void addRow(const SourceRoot &root);
    void showGuess();

    SourceWorkspace *m_workspace;
    QTableWidget *m_table;
    QLabel *m_guessLabel;
    QPushButton *m_useGuess;
    QComboBox *m_editor;
    QLineEdit *m_customEditor;
    QComboBox *m_gitTool;
    QLineEdit *m_customGitTool;
    QLabel *m_error;
    QFutureWatcher<std::optional<SourceRootGuess>> m_guess;
    std::optional<SourceRootGuess> m_proposal;
};

} // namespace faultline
