// Russian personal names for demo buyers and staff, with the female forms of surnames and
// patronymics built by the usual rules, and a transliteration for e-mail addresses.
import type { SeededRandom } from './seeded-random.ts';

/** Whitespace-separated words: long name lists stay readable and diff line by line. */
const words = (text: string): readonly string[] => text.trim().split(/\s+/);

const MALE_FIRST = words(`
  Александр Алексей Андрей Антон Артём Борис Вадим Валерий Василий Виктор Виталий Владимир
  Владислав Вячеслав Геннадий Георгий Глеб Григорий Даниил Денис Дмитрий Евгений Егор Иван Игорь
  Илья Кирилл Константин Лев Леонид Максим Марк Матвей Михаил Никита Николай Олег Павел Пётр Роман
  Руслан Сергей Станислав Степан Тимофей Тимур Фёдор Юрий Ярослав Ринат Айдар Рустам
`);

const FEMALE_FIRST = words(`
  Александра Алина Алиса Алла Анастасия Ангелина Анна Валентина Валерия Вера Вероника Виктория
  Галина Дарья Диана Евгения Екатерина Елена Елизавета Жанна Зарина Зоя Инна Ирина Карина Кира
  Ксения Лариса Лидия Любовь Людмила Маргарита Марина Мария Милана Надежда Наталья Нина Оксана
  Ольга Полина Светлана София Тамара Татьяна Ульяна Юлия Яна Гульнара Альбина Лейла Эльвира
`);

/** Male surnames; female forms are derived (Иванов -> Иванова, Толстой -> Толстая). */
const SURNAMES = words(`
  Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков
  Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин
  Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов
  Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв
  Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов
  Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов
  Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов
  Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев
  Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников
  Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин
  Ефремов Архипов Громов Кириллов Малышев Панов Моисеев Румянцев Акимов Кондратьев Бирюков
  Горбунов Анисимов Ерёмин Тихомиров Галкин Лукьянов Михеев Скворцов Юдин Белоусов Нестеров
  Симонов Прокофьев Харитонов Князев Цветков Левин Митрофанов Воронцов Толстой Островский
  Вишневский Ковальский Шевчук Бондаренко Ткаченко Гарипов Хабибуллин Сафин Галиев Зарипов Валиев
  Мухаметшин
`);

/** Patronymics in the male form; the female form is derived (Иванович -> Ивановна). */
const PATRONYMICS = words(`
  Александрович Алексеевич Андреевич Анатольевич Борисович Васильевич Викторович Владимирович
  Геннадьевич Григорьевич Дмитриевич Евгеньевич Иванович Игоревич Ильич Константинович Леонидович
  Максимович Михайлович Николаевич Олегович Павлович Петрович Романович Сергеевич Станиславович
  Фёдорович Юрьевич Вячеславович Валерьевич Артёмович Денисович Рустамович
`);

/** The female form of a surname by its ending; foreign and Ukrainian -ко/-ук forms do not change. */
export function femaleSurname(male: string): string {
  if (/(ов|ев|ёв|ин|ын)$/.test(male)) return `${male}а`;
  if (male.endsWith('ский')) return `${male.slice(0, -4)}ская`;
  if (male.endsWith('ой')) return `${male.slice(0, -2)}ая`;
  return male;
}

/** The female form of a patronymic: -ович/-евич -> -овна/-евна; Ильич -> Ильинична. */
export function femalePatronymic(male: string): string {
  if (male === 'Ильич') return 'Ильинична';
  return male.endsWith('вич') ? `${male.slice(0, -3)}вна` : male;
}

/** A person's full name. */
export type PersonName = {
  firstName: string;
  lastName: string;
  middleName: string;
  gender: 'male' | 'female';
};

/** A random Russian name of the given gender. */
export function randomPerson(random: SeededRandom, gender: 'male' | 'female'): PersonName {
  const surname = random.pick(SURNAMES);
  const patronymic = random.pick(PATRONYMICS);
  return gender === 'male'
    ? { firstName: random.pick(MALE_FIRST), lastName: surname, middleName: patronymic, gender }
    : {
        firstName: random.pick(FEMALE_FIRST),
        lastName: femaleSurname(surname),
        middleName: femalePatronymic(patronymic),
        gender,
      };
}

const TRANSLIT: Readonly<Record<string, string>> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
};

/** Latin letters for a Cyrillic word, as passports spell it (Щербаков -> shcherbakov). */
export function transliterate(word: string): string {
  let out = '';
  for (const ch of word.toLowerCase()) out += TRANSLIT[ch] ?? ch;
  return out;
}
